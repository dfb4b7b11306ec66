package dev.eddy.core.storage;

import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.util.Map;
import org.infinispan.client.hotrod.MetadataValue;
import org.infinispan.client.hotrod.RemoteCache;

/**
 * Reads and writes items in their collections. A write reads the collection with its version,
 * applies the change, and stores it back only if nobody changed it meanwhile
 * ({@code replaceWithVersion}, or {@code putIfAbsent} for a new collection); on a lost race it
 * reads again and re-applies, so concurrent writers from any number of instances never lose an
 * update and conditions are always checked against the state they replace.
 */
public final class ItemStore {
    /** Far beyond any contention seen; reaching it means something is wrong, not busy. */
    private static final int MAX_ATTEMPTS = 10_000;

    private final Storage storage;

    public ItemStore(Storage storage) {
        this.storage = storage;
    }

    /** Computes an item's next state from its current one (null when absent); null deletes. */
    @FunctionalInterface
    public interface ItemChange {
        Map<String, AttributeValue> apply(Map<String, AttributeValue> current);
    }

    /**
     * What a write did.
     *
     * @param sequence the write's sequence number in its collection, 0 when nothing changed
     */
    public record WriteResult(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem,
                              long sequence) {
        public boolean changed() {
            return sequence != 0;
        }
    }

    public Map<String, AttributeValue> get(TableDefinition table, PrimaryKey key, boolean consistent) {
        RemoteCache<byte[], byte[]> cache = cache(table, consistent);
        byte[] bytes = cache.get(key.partitionBytes());
        if (bytes == null) {
            return null;
        }
        return ItemCollection.decode(bytes, table.rangeKey() != null).get(key.range());
    }

    public WriteResult write(TableDefinition table, PrimaryKey key, ItemChange change) {
        RemoteCache<byte[], byte[]> cache = cache(table, true);
        boolean sorted = table.rangeKey() != null;
        byte[] storageKey = key.partitionBytes();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            MetadataValue<byte[]> current = cache.getWithMetadata(storageKey);
            ItemCollection collection = current == null ? ItemCollection.empty(sorted)
                    : ItemCollection.decode(current.getValue(), sorted);
            int at = collection.indexOf(key.range());
            Map<String, AttributeValue> oldItem = at >= 0 ? ItemCodec.decode(collection.itemBytesAt(at)) : null;
            Map<String, AttributeValue> newItem = change.apply(oldItem);
            if (newItem == oldItem || (newItem != null && newItem.equals(oldItem))) {
                // Nothing changes: the read above is this write's linearization point.
                return new WriteResult(oldItem, oldItem, 0);
            }
            collection.set(key.range(), newItem == null ? null : ItemCodec.encode(newItem));
            long sequence = collection.nextSequence(System.currentTimeMillis() * 1000);
            boolean stored;
            if (current == null) {
                stored = storage.withReturnValues(cache).putIfAbsent(storageKey, collection.encode()) == null;
            } else if (collection.isEmpty() && collection.outbox().isEmpty()) {
                stored = cache.removeWithVersion(storageKey, current.getVersion());
            } else {
                stored = cache.replaceWithVersion(storageKey, collection.encode(), current.getVersion());
            }
            if (stored) {
                return new WriteResult(oldItem, newItem, sequence);
            }
            Storage.pause(attempt);
        }
        throw Errors.internal("Write to " + table.tableName() + " did not settle after " + MAX_ATTEMPTS + " attempts");
    }

    private RemoteCache<byte[], byte[]> cache(TableDefinition table, boolean consistent) {
        try {
            return consistent ? storage.strong(table.cacheName()) : storage.eventual(table.cacheName());
        } catch (Storage.MissingCacheException e) {
            throw Errors.resourceNotFound();
        }
    }
}
