package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.util.Arrays;

/**
 * A set of item collections within one table's cache: the table's own (partition keys as they are)
 * or a global secondary index's (partition keys behind the index's prefix, so the index lives and
 * dies with its table's cache and needs no cache of its own).
 *
 * @param prefix empty for the table; for an index {@link #INDEX_TAG} and the index's id
 * @param sorted whether collections hold more than one item, ordered by sort key
 * @param name   the table or index name, for messages
 */
public record CollectionSpace(String cacheName, byte[] prefix, boolean sorted, String name) {
    /** First byte of an index's root keys: after the key type tags 0-2, before {@link StorageKeys#PAGE_TAG}. */
    public static final byte INDEX_TAG = 0x7E;
    private static final byte[] NONE = new byte[0];

    public static CollectionSpace of(TableDefinition table) {
        return new CollectionSpace(table.cacheName(), NONE, table.rangeKey() != null, table.tableName());
    }

    public static CollectionSpace index(TableDefinition table, String indexId, String indexName) {
        byte[] id = indexId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] prefix = new byte[1 + id.length];
        prefix[0] = INDEX_TAG;
        System.arraycopy(id, 0, prefix, 1, id.length);
        return new CollectionSpace(table.cacheName(), prefix, true, indexName);
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
            return key[0] < INDEX_TAG;
        }
        return key.length > prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Whether a cache key is a root or a leaf page of this space. */
    public boolean ownsEntry(byte[] key) {
        if (ownsRoot(key)) {
            return true;
        }
        if (!StorageKeys.isPage(key) || key.length < 2) {
            return false;
        }
        if (prefix.length == 0) {
            return key[1] < INDEX_TAG;
        }
        return key.length > prefix.length + 1 && Arrays.equals(key, 1, prefix.length + 1, prefix, 0, prefix.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CollectionSpace c && cacheName.equals(c.cacheName) && Arrays.equals(prefix, c.prefix);
    }

    @Override
    public int hashCode() {
        return cacheName.hashCode() * 31 + Arrays.hashCode(prefix);
    }
}
