package dev.eddy.core.ttl;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.outbox.ChangeRecord;
import dev.eddy.core.storage.UpkeepQueue;
import dev.eddy.core.table.TableDefinition;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The expiry index of Time to Live (DESIGN.md, "Background work costs the changes"): each item
 * whose TTL attribute holds an expiry time has a timer on its table's upkeep queue, due at that
 * time, kept from the change log (a change that moves the expiry moves the timer). A pass then
 * reads what is due, never the table.
 *
 * <p>Developer Guide, "Time to Live": the attribute is a Number of epoch seconds; items whose time
 * is more than five years in the past are not deleted.
 */
public final class ExpiryIndex {
    static final long FIVE_YEARS_SECONDS = 5L * 366 * 24 * 3600;

    private final UpkeepQueue queue;

    public ExpiryIndex(UpkeepQueue queue) {
        this.queue = queue;
    }

    /** The item's expiry in epoch seconds, or {@link ChangeRecord#NO_EXPIRY} when it has none Eddy acts on. */
    public static long expiry(Map<String, AttributeValue> item, String attribute) {
        AttributeValue v = item == null || attribute == null ? null : item.get(attribute);
        if (v == null || v.type() != AttributeValue.Type.N) {
            return ChangeRecord.NO_EXPIRY;
        }
        BigDecimal at = new BigDecimal(v.n());
        if (at.signum() < 0 || at.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1000)) > 0) {
            return ChangeRecord.NO_EXPIRY;
        }
        return at.longValue();
    }

    /** Whether an item is expired now: its time has passed, and by no more than five years. */
    public static boolean expired(Map<String, AttributeValue> item, String attribute, long nowSeconds) {
        long at = expiry(item, attribute);
        return at != ChangeRecord.NO_EXPIRY && at <= nowSeconds && at >= nowSeconds - FIVE_YEARS_SECONDS;
    }

    /** Moves the item's timer as the record says (a no-op when Time to Live is off for the table now). */
    public void apply(TableDefinition table, ChangeRecord record) {
        if (table.timeToLiveAttribute() == null || record.oldExpiry() == record.newExpiry()) {
            return;
        }
        if (record.oldExpiry() != ChangeRecord.NO_EXPIRY) {
            queue.remove(table.cacheName(), timer(record.key(), record.oldExpiry()));
        }
        set(table, record.key(), record.newExpiry());
    }

    /** Sets the item's timer for this expiry (none for times never acted on). */
    public void set(TableDefinition table, PrimaryKey key, long expirySeconds) {
        long now = System.currentTimeMillis() / 1000;
        if (expirySeconds == ChangeRecord.NO_EXPIRY || expirySeconds < now - FIVE_YEARS_SECONDS) {
            return;
        }
        queue.add(table.cacheName(), timer(key, expirySeconds));
    }

    static UpkeepQueue.Timer timer(PrimaryKey key, long expirySeconds) {
        return new UpkeepQueue.Timer(expirySeconds * 1000, UpkeepQueue.EXPIRE, keyPayload(key));
    }

    static byte[] keyPayload(PrimaryKey key) {
        Map<String, AttributeValue> p = new LinkedHashMap<>();
        p.put("h", key.hash());
        if (key.range() != null) {
            p.put("r", key.range());
        }
        return ItemCodec.encode(p);
    }

    static PrimaryKey keyOf(byte[] payload) {
        Map<String, AttributeValue> p = ItemCodec.decode(payload);
        return new PrimaryKey(p.get("h"), p.get("r"));
    }
}
