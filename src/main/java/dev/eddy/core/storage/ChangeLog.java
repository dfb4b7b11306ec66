package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ByteReader;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the storage engine asks of the change log (DESIGN.md, "Storage"): a write that changes an
 * item of a table whose changes have consumers (a stream, secondary indexes, Time to Live) appends
 * the change's record to the outbox of the page it changes, in the same compare-and-set, so a
 * write is acknowledged only with its record stored beside it. Before that compare-and-set the
 * page is entered in the durable pending set (so whoever finishes a dead writer's work can find
 * it); after it, the records are carried out (indexes, expiry queue, stream) and cleared.
 */
public interface ChangeLog {
    /**
     * The record of one change, or null when nothing consumes it. A record starts with the
     * change's 8-byte sequence number, unique within its page.
     */
    byte[] record(TableDefinition table, PrimaryKey key, Map<String, AttributeValue> oldItem,
                  Map<String, AttributeValue> newItem, long sequence, boolean byTimeToLive);

    /**
     * Called before the compare-and-set that would store a new record at {@code location}: the
     * location is durably pending when this returns. The token goes back to {@link #attempted}.
     */
    Object beforeStore(TableDefinition table, Location location);

    /** After the compare-and-set {@link #beforeStore} prepared, stored or not. */
    void attempted(Object token, boolean stored);

    /**
     * A write that stored a record has committed; {@code outbox} is the page's outbox as it
     * stored it (earlier records first, its own last), {@code overflow} whether older records wait
     * in overflow entries. Runs before the write is acknowledged (local index upkeep is done here);
     * the rest is carried out in the background.
     */
    void committed(TableDefinition table, Location location, List<byte[]> outbox, boolean overflow,
                   Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem, long sequence);

    /** Sequences of records at this location that are finished: a write to the page may drop them. */
    Set<Long> finished(Location location);

    /**
     * Where outbox records wait: a collection's root entry (pageId null) or one of its leaf pages.
     * Records stay with the page they were written to when it splits (the left half keeps its id);
     * a root that became paged hands them to its first leaf.
     */
    record Location(CollectionSpace space, byte[] partition, Long pageId) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Location l && space.equals(l.space) && java.util.Arrays.equals(partition, l.partition)
                    && java.util.Objects.equals(pageId, l.pageId);
        }

        @Override
        public int hashCode() {
            return (space.hashCode() * 31 + java.util.Arrays.hashCode(partition)) * 31 + java.util.Objects.hashCode(pageId);
        }
    }

    static long sequenceOf(byte[] record) {
        return new ByteReader(record).int64();
    }
}
