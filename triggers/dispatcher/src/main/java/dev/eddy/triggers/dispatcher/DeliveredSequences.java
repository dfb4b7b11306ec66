package dev.eddy.triggers.dispatcher;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest SequenceNumber taken in for each item of one partition, to drop duplicates: the
 * producer delivers at least once, so after a crash the same record (same Keys and
 * SequenceNumber) can be on the topic twice. SequenceNumbers grow strictly per item, so a record
 * whose number is not above the last one taken in for its item is a copy of one already handled.
 *
 * <p>Bounded: the least recently seen items are forgotten first. Duplicates sit close to their
 * original in the log (a producer re-sends what it had not confirmed), so forgetting items not
 * seen for {@code capacity} records costs nothing in practice.
 */
final class DeliveredSequences {

    private final Map<String, BigInteger> lastByItem;

    DeliveredSequences(int capacity) {
        this.lastByItem = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, BigInteger> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Takes the record in and returns true when it is new; false for a duplicate (or older copy). */
    boolean advance(String item, BigInteger sequence) {
        BigInteger last = lastByItem.get(item);
        if (last != null && sequence.compareTo(last) <= 0) {
            return false;
        }
        lastByItem.put(item, sequence);
        return true;
    }
}
