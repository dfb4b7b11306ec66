package dev.eddy.core.storage;

import dev.eddy.core.StorageConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ByteWriter;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A page's outbox stays bounded while its records cannot be carried out (Kafka away): steady writes
 * to one item of a hash-only table (every write rewrites the one entry) move the oldest records to
 * overflow entries, so the item's entry stays under a fixed size however long it lasts; the records
 * are all still there, in order, and clearing them removes the overflow entries too.
 */
class OutboxBoundTest {
    private static TestNode node;
    private static ItemStore items;

    @BeforeAll
    static void start() {
        node = new TestNode(0, StorageConfig.DEFAULT_PAGE_BYTES);
        items = node.items(StorageConfig.DEFAULT_PAGE_BYTES);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A change log whose records never get carried out: they only pile up. */
    private static final class Stalled implements ChangeLog {
        @Override
        public byte[] record(TableDefinition table, PrimaryKey key, Map<String, AttributeValue> oldItem,
                             Map<String, AttributeValue> newItem, long sequence, boolean byTimeToLive) {
            return new ByteWriter(600).int64(sequence).bytes(new byte[500]).toByteArray();
        }

        @Override
        public Object beforeStore(TableDefinition table, Location location) {
            return location;
        }

        @Override
        public void attempted(Object token, boolean stored) {
        }

        @Override
        public void committed(TableDefinition table, Location location, List<byte[]> outbox, boolean overflow,
                              Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, long sequence) {
        }

        @Override
        public Set<Long> finished(Location location) {
            return Set.of();
        }
    }

    @Test
    void anItemsEntryStaysBoundedWhileItsRecordsWaitAndNoneIsLost() {
        items.changeLog(new Stalled());
        TableDefinition t = Fixtures.table(node, false);
        AttributeValue pk = AttributeValue.s("hot");
        PrimaryKey key = new PrimaryKey(pk, null);
        CollectionSpace space = CollectionSpace.of(t);
        Entries cache = items.cache(space, true);
        int writes = 3000;
        int largest = 0;
        for (int i = 0; i < writes; i++) {
            int n = i;
            items.write(t, key, c -> Map.of("pk", pk, "n", AttributeValue.n(Integer.toString(n))));
            largest = Math.max(largest, cache.get(space.partition(pk)).length);
        }
        // 3000 records of ~0.5 KB are 1.5 MB; the entry holds at most its outbox bound (half a page) and the item.
        assertTrue(largest < StorageConfig.DEFAULT_PAGE_BYTES / 2 + 4096, "the item's entry stayed at " + largest + " bytes");

        ChangeLog.Location location = new ChangeLog.Location(space, space.partition(pk), null);
        List<byte[]> waiting = items.pendingRecords(location).records();
        assertEquals(writes, waiting.size(), "every record is kept");
        List<Long> sequences = new ArrayList<>();
        waiting.forEach(r -> sequences.add(ChangeLog.sequenceOf(r)));
        List<Long> ordered = new ArrayList<>(sequences);
        ordered.sort(null);
        assertEquals(ordered, sequences, "oldest first");
        assertTrue(overflowEntries(t) > 0, "older records moved to overflow entries");

        items.settle(location, r -> null, false);
        assertEquals(0, items.pendingRecords(location).records().size());
        assertEquals(0, overflowEntries(t), "cleared overflow entries are removed");
        items.changeLog(null);
    }

    private static int overflowEntries(TableDefinition t) {
        int n = 0;
        for (byte[] k : node.keys(t.cacheName())) {
            if (k[0] == StorageKeys.OVERFLOW_TAG) {
                n++;
            }
        }
        return n;
    }
}
