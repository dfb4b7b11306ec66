package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Timers the engine sets for itself, per table cache (DESIGN.md, "Background work costs the
 * changes"): an item's expiry under Time to Live, a global index tombstone to sweep, a page to check
 * after a split. One sorted collection per cache, ordered by due time, so the work due now is
 * found by reading its first page, never by a pass over the table; an idle table's queue is one
 * near-cached root that does not change. Each timer is (due time, kind, payload); setting it twice
 * is setting it once, and whoever handles it removes it.
 */
public final class UpkeepQueue {
    /** An item's Time to Live expiry: payload is the item's key. */
    public static final byte EXPIRE = 1;
    /** A global index tombstone old enough to sweep: payload is the index id and entry key. */
    public static final byte SWEEP_TOMBSTONE = 2;
    /** A page written by a split or conversion that a crash may have left unlinked. */
    public static final byte CHECK_PAGE = 3;
    /** Engine-wide timers (in the system cache), e.g. a deleted stream's topic to delete. */
    public static final byte SYSTEM = 4;

    private static final Map<String, AttributeValue> EMPTY = Map.of();

    private final ItemStore items;

    public UpkeepQueue(ItemStore items) {
        this.items = items;
    }

    /** One timer. */
    public record Timer(long dueMillis, byte kind, byte[] payload) {
        AttributeValue sortKey() {
            byte[] key = new byte[9 + payload.length];
            StorageKeys.putLong(key, 0, dueMillis ^ Long.MIN_VALUE); // sign flipped: unsigned order is numeric order
            key[8] = kind;
            System.arraycopy(payload, 0, key, 9, payload.length);
            return AttributeValue.b(key);
        }

        static Timer of(AttributeValue sortKey) {
            byte[] key = sortKey.b();
            return new Timer(StorageKeys.getLong(key, 0) ^ Long.MIN_VALUE, key[8], Arrays.copyOfRange(key, 9, key.length));
        }
    }

    static CollectionSpace space(String cacheName) {
        return new CollectionSpace(cacheName, new byte[] {CollectionSpace.QUEUE_TAG}, true, cacheName + " upkeep queue",
                false);
    }

    private static PrimaryKey key(Timer t) {
        return new PrimaryKey(CollectionSpace.SINGLE, t.sortKey());
    }

    public void add(String cacheName, Timer timer) {
        items.write(space(cacheName), key(timer), existing -> existing != null ? existing : EMPTY);
    }

    public void remove(String cacheName, Timer timer) {
        items.write(space(cacheName), key(timer), existing -> null);
    }

    /** Up to {@code max} timers due by {@code nowMillis}, oldest first (read strongly). */
    public List<Timer> due(String cacheName, long nowMillis, int max) {
        List<Timer> out = new ArrayList<>();
        items.query(space(cacheName), CollectionSpace.SINGLE, null, true, true, true, (sk, bytes) -> {
            Timer t = Timer.of(sk);
            if (t.dueMillis() > nowMillis) {
                return false;
            }
            out.add(t);
            return out.size() < max;
        });
        return out;
    }

    /**
     * Whether a timer may be due, from the near-cached queue (no server read while it is
     * unchanged): the cheap test an idle table passes. A timer set a moment ago may be missed by
     * it until the near cache hears of the change, milliseconds later. An idle queue is an empty
     * root that stays (a drained queue keeps it), so this costs no server request while idle.
     */
    public boolean maybeDue(String cacheName, long nowMillis) {
        boolean[] due = {false};
        try {
            if (!items.rootPresent(space(cacheName), CollectionSpace.SINGLE)) {
                return true; // never used, or from before roots were kept: created now; due() reads strongly once
            }
            items.query(space(cacheName), CollectionSpace.SINGLE, null, true, true, false, (sk, bytes) -> {
                due[0] = Timer.of(sk).dueMillis() <= nowMillis;
                return false;
            });
        } catch (dev.eddy.core.error.DynamoException gone) {
            return false; // the cache is gone (a table deleted meanwhile)
        }
        return due[0];
    }
}
