package dev.eddy.core.ttl;

import dev.eddy.core.Meters;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.TableDefinition;

/**
 * Time to Live (Developer Guide, "Time to Live"): deletes an item whose expiry timer came due, if
 * it is still expired (a write may have renewed it; its timer then moved with it). Each deletion
 * is conditional on that, and is streamed as a REMOVE by the DynamoDB service. Until the timer is
 * handled, reads still return the item, as DynamoDB's do.
 */
public final class Expirer {
    private final ItemStore items;
    private final Meters meters;

    public Expirer(ItemStore items, Meters meters) {
        this.items = items;
        this.meters = meters;
    }

    /** Handles a due expiry timer of the table. */
    public void expire(TableDefinition table, byte[] payload) {
        String attribute = table.timeToLiveAttribute();
        if (attribute == null) {
            return; // Time to Live was turned off since the timer was set
        }
        PrimaryKey key = ExpiryIndex.keyOf(payload);
        long now = System.currentTimeMillis() / 1000;
        ItemStore.WriteResult r = items.write(table, key,
                current -> ExpiryIndex.expired(current, attribute, now) ? null : current, true);
        if (r.changed()) {
            meters.counter("eddy.ttl.deleted").increment();
        }
    }
}
