package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.util.List;
import java.util.Map;

/**
 * The change records of tables with a stream (DESIGN.md, "Storage"): a write that changes an item
 * appends its record to the outbox of the page it changes, in the same compare-and-set, so a write
 * is acknowledged only with its record stored beside it. After the write, the records are published
 * and cleared from the outbox; whatever a crash or an unreachable broker leaves behind, a sweeper
 * finds and publishes later.
 */
public interface ChangeLog {
    /**
     * The outbox entry for one change, or null when the table records none. An entry starts with
     * the change's 8-byte sequence number (what clearing goes by).
     */
    byte[] record(TableDefinition table, PrimaryKey key, Map<String, AttributeValue> oldItem,
                  Map<String, AttributeValue> newItem, long sequence, boolean byTimeToLive);

    /**
     * A write that added a record has committed: {@code records} is the page's outbox as that write
     * stored it (earlier unpublished records first, its own last), to publish in that order.
     */
    void committed(Location location, List<byte[]> records);

    /** Sequences of records at this location that Kafka has: a write to the page may drop them from the outbox. */
    java.util.Set<Long> published(Location location);

    /**
     * Where outbox records wait: a collection's root entry (pageId null) or one of its leaf pages.
     * Records stay with the page they were written to when it splits (the left half keeps its id);
     * a root that became paged hands them to its first leaf.
     */
    record Location(CollectionSpace space, byte[] partition, Long pageId) {
    }

    static long sequenceOf(byte[] entry) {
        return new ByteReader(entry).int64();
    }
}
