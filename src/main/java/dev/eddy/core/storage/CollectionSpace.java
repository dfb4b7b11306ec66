package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A set of item collections within one table's cache: the table's own (partition keys as they are),
 * a secondary index's (partition keys behind the index's prefix, so the index lives and dies with
 * its table's cache and needs no cache of its own), or one of the engine's own (a space's partition
 * directory, the table's upkeep queue), which hold a single collection each.
 *
 * @param prefix empty for the table; otherwise a tag and an id
 * @param sorted whether collections hold more than one item, ordered by sort key
 * @param name   the table or index name, for messages
 * @param listed whether the space keeps a partition directory (tables of the current layout, and
 *               their indexes; a directory or queue is a single collection and needs none)
 */
public record CollectionSpace(String cacheName, byte[] prefix, boolean sorted, String name, boolean listed) {
    /** First byte of an index's root keys: after the key type tags 0-2, before {@link StorageKeys#PAGE_TAG}. */
    public static final byte INDEX_TAG = 0x7E;
    /** First byte of a space's partition directory. */
    public static final byte DIRECTORY_TAG = 0x7C;
    /** First byte of a table's upkeep queue. */
    public static final byte QUEUE_TAG = 0x7B;
    /** Key type tags run 0 (S) to 2 (B): a table's roots start with one of them. */
    private static final byte LAST_KEY_TYPE = 2;
    private static final byte[] NONE = new byte[0];
    /** The partition key of the single collection a directory or queue space holds. */
    static final AttributeValue SINGLE = AttributeValue.n("0");

    public static CollectionSpace of(TableDefinition table) {
        return new CollectionSpace(table.cacheName(), NONE, table.rangeKey() != null, table.tableName(),
                table.hasCurrentLayout());
    }

    public static CollectionSpace index(TableDefinition table, String indexId, String indexName) {
        return new CollectionSpace(table.cacheName(), tagged(INDEX_TAG, indexId.getBytes(StandardCharsets.UTF_8)),
                true, indexName, table.hasCurrentLayout());
    }

    /** The table's upkeep queue: timers (expiries, sweeps, checks) in due order. */
    public static CollectionSpace queue(TableDefinition table) {
        return new CollectionSpace(table.cacheName(), new byte[] {QUEUE_TAG}, true, table.tableName() + " upkeep queue",
                false);
    }

    /** The directory of this space's partitions (see {@link PartitionDirectory}). */
    public CollectionSpace directory() {
        return new CollectionSpace(cacheName, tagged(DIRECTORY_TAG, prefix), true, name + " partition directory", false);
    }

    private static byte[] tagged(byte tag, byte[] id) {
        byte[] prefix = new byte[1 + id.length];
        prefix[0] = tag;
        System.arraycopy(id, 0, prefix, 1, id.length);
        return prefix;
    }

    /**
     * Whether the collection's root stays when it empties (an upkeep queue): looked at on every
     * pass of the upkeep duty, it must be near-cacheable when idle, and a near cache holds no
     * absence.
     */
    public boolean keepsEmptyRoot() {
        return prefix.length == 1 && prefix[0] == QUEUE_TAG;
    }

    /** Whether this is a directory or queue: one collection, no directory of its own. */
    public boolean isSingleCollection() {
        return prefix.length > 0 && (prefix[0] == DIRECTORY_TAG || prefix[0] == QUEUE_TAG);
    }

    /** The storage key of the collection with this partition key value. */
    public byte[] partition(AttributeValue hash) {
        byte[] key = PrimaryKey.keyBytes(hash);
        if (prefix.length == 0) {
            return key;
        }
        byte[] out = Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, out, prefix.length, key.length);
        return out;
    }

    /** The partition key value of a collection's storage key. */
    public AttributeValue hashOf(byte[] partition) {
        return PrimaryKey.fromKeyBytes(prefix.length == 0 ? partition
                : Arrays.copyOfRange(partition, prefix.length, partition.length));
    }

    /** Whether a cache key is the root of one of this space's collections. */
    public boolean ownsRoot(byte[] key) {
        if (key.length == 0) {
            return false;
        }
        if (prefix.length == 0) {
            return key[0] >= 0 && key[0] <= LAST_KEY_TYPE;
        }
        return key.length > prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)
                && key[prefix.length] >= 0 && key[prefix.length] <= LAST_KEY_TYPE;
    }

    /** Whether a cache key is a root or a leaf page of this space. */
    public boolean ownsEntry(byte[] key) {
        if (ownsRoot(key)) {
            return true;
        }
        return StorageKeys.isPage(key) && key.length > 9 && ownsRoot(Arrays.copyOfRange(key, 1, key.length - 8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CollectionSpace c && cacheName.equals(c.cacheName) && Arrays.equals(prefix, c.prefix);
    }

    @Override
    public int hashCode() {
        return cacheName.hashCode() * 31 + Arrays.hashCode(prefix);
    }

    @Override
    public String toString() {
        return name;
    }
}
