package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.core.Meters;
import dev.eddy.core.StorageConfig;
import dev.eddy.core.error.Errors;
import dev.eddy.core.error.Unavailability;
import dev.eddy.core.index.IndexEntryKey;
import dev.eddy.core.index.SecondaryIndexes;
import dev.eddy.core.lease.Duty;
import dev.eddy.core.lease.Instances;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.outbox.OutboxSweeper;
import dev.eddy.core.outbox.PendingPages;
import dev.eddy.core.outbox.WriteCompletion;
import dev.eddy.core.table.AttributeDefinition;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.KeyElement;
import dev.eddy.core.table.Projection;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.table.Throughput;
import dev.eddy.core.ttl.ExpiryIndex;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write still in flight when its process's identity is taken for dead (fault scenario 2: the whole
 * cluster killed, its requests waiting in the Hot Rod client, the cluster back later than a
 * heartbeat): the sweeper finishes the identity's page before the write lands, the write then applies
 * but its writer never hears so. Its change record must still be carried out (here: its global index
 * entry placed), by the writer under its new identity. Before, the writer dropped what it knew of its
 * pages when it took a new identity, and the record waited in the page under nobody.
 */
class WriteInFlightPastItsIdentityTest {
    private static final long LEASE_MILLIS = 600;
    private static final AttributeValue PK = AttributeValue.s("item");
    private static final PrimaryKey KEY = new PrimaryKey(PK, null);

    private TestNode node;
    private Meters meters;
    private Instances writerIdentity;
    private Instances sweeperIdentity;
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @BeforeEach
    void start() {
        node = new TestNode(StorageConfig.DEFAULT_NEAR_CACHE_BYTES, StorageConfig.DEFAULT_PAGE_BYTES);
        meters = new Meters();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        node.close();
    }

    /** One process's write side over the node: its identity, pending set, items and write completion. */
    private record Process(Instances identity, PendingPages pending, ItemStore items, WriteCompletion completion) {
    }

    private Process process(String role, TableCatalog catalog) {
        Instances identity = new Instances(node.storage, role, LEASE_MILLIS, meters);
        ItemStore items = node.items(StorageConfig.DEFAULT_PAGE_BYTES);
        PendingPages pending = new PendingPages(node.storage, identity, items, meters);
        WriteCompletion completion = new WriteCompletion("us-east-1", items, catalog, new SecondaryIndexes(items, meters),
                new ExpiryIndex(items.queue()), null, pending, meters, 100);
        open.add(identity);
        open.add(pending);
        open.add(completion);
        return new Process(identity, pending, items, completion);
    }

    private static TableDefinition tableWithIndex(TestNode node) {
        String id = UUID.randomUUID().toString();
        IndexDefinition byGroup = IndexDefinition.global("byGroup", List.of(new KeyElement("g", "HASH")),
                new Projection(IndexDefinition.ALL, null), Throughput.ZERO, TableDefinition.ACTIVE);
        TableDefinition t = new TableDefinition("t-" + id.substring(0, 8), id, "arn:aws:dynamodb:us-east-1:0:table/t",
                Storage.PREFIX + "t." + id, System.currentTimeMillis(), TableDefinition.ACTIVE,
                List.of(new KeyElement("pk", "HASH")),
                List.of(new AttributeDefinition("pk", "S"), new AttributeDefinition("g", "S")),
                TableDefinition.PAY_PER_REQUEST, null, Throughput.ZERO, List.of(), List.of(byGroup), null, null, Map.of(),
                false, null, null, TableDefinition.CURRENT_LAYOUT, null);
        node.storage.createCache(t.cacheName());
        return t;
    }

    /** The sweeper's lease, held throughout (one maintenance process). */
    private static final Duty.Held HELD = new Duty.Held() {
        @Override
        public boolean stillHeld() {
            return true;
        }

        @Override
        public byte[] state() {
            return new byte[0];
        }

        @Override
        public boolean saveState(byte[] state) {
            return true;
        }

        @Override
        public long epoch() {
            return 1;
        }
    };

    @Test
    void aRecordStoredByAWriteThatLandedAfterTheSweeperFinishedItsPageIsCarriedOut() throws Exception {
        TableCatalog catalog = new TableCatalog(node.storage);
        TableDefinition t = tableWithIndex(node);
        assertTrue(catalog.create(t));
        Process writer = process("function", catalog);
        Process maintenance = process("maintenance", catalog);
        OutboxSweeper sweeper = new OutboxSweeper(maintenance.identity(), maintenance.pending(), maintenance.completion(),
                catalog, meters, 100);

        byte[] partition = CollectionSpace.of(t).partition(PK);
        CompletableFuture<Void> reached = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        // held on its way in; once applied, its reply lost and the value written over past its write marks,
        // so the writer cannot tell it applied (it answers the store unavailable)
        node.holdThenLoseReplyOfNextWrite(t.cacheName(), partition, WriteMarks.DEPTH, reached, release);
        Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of("pk", PK, "g", AttributeValue.s("x")));
        String before = writer.identity().id();
        CompletableFuture<ItemStore.WriteResult> write = CompletableFuture.supplyAsync(() -> writer.items().write(t, KEY,
                current -> {
                    if (current != null) {
                        throw Errors.conditionalCheckFailed();
                    }
                    return item;
                }));
        CompletableFuture.anyOf(reached, write).get(30, TimeUnit.SECONDS);
        assertTrue(reached.isDone(), () -> "the write reached the node and waits there: " + write.join());

        // The writer's heartbeat stops (it renews holding its identity's lock) until its identity is claimed.
        synchronized (writer.identity()) {
            Thread.sleep(LEASE_MILLIS * 2);
            sweeper.run(HELD); // claims the writer's identity, finds its page not stored yet, lets it go
            release.complete(null);
        }
        Throwable failed = assertThrows(Exception.class, () -> write.get(30, TimeUnit.SECONDS));
        assertNotNull(Unavailability.reason(failed), "the write's outcome is unknown to its writer: " + failed);
        assertEquals(item, writer.items().get(t, KEY, true), "the write applied");

        IndexDefinition index = t.globalSecondaryIndexes().get(0);
        CollectionSpace indexSpace = SecondaryIndexes.space(t, index);
        PrimaryKey entry = IndexEntryKey.of(t, index, item);
        ChangeLog.Location page = new ChangeLog.Location(CollectionSpace.of(t), partition, null);
        long deadline = System.currentTimeMillis() + 20_000;
        boolean done = false;
        while (!done && System.currentTimeMillis() < deadline) {
            sweeper.run(HELD);
            Thread.sleep(200);
            ItemStore.PendingRecords waiting = writer.items().pendingRecords(page);
            done = writer.items().readWithSequence(indexSpace, entry).item() != null
                    && waiting != null && waiting.records().isEmpty();
        }
        assertNotEquals(before, writer.identity().id(), "the writer took a new identity");
        assertTrue(done, "the index entry of the write is placed and its record carried out");
    }
}
