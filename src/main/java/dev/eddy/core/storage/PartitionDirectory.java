package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.PrimaryKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The durable, ordered directory of a space's partitions (DESIGN.md, "Storage"): one sorted
 * collection per space whose entries are the partitions' storage keys in Scan order (the 31-bit
 * hash bucket, big-endian, then the key bytes; see {@link ScanSegments}), each with the
 * generation of the partition's root. Strongly consistent Scans, parallel Scan segments, backfills
 * and migrations walk it, so they cost the partitions they visit, never a listing of every key.
 *
 * <p>An entry is written before its partition's root is created, and removed only after the root
 * went REMOVING and only if it still names that root's generation: a partition created again in
 * the meantime has a new generation, so a late removal of the old entry leaves the new one alone.
 * An entry may outlive its partition (a crash between the two steps): a reader that finds no root,
 * or a REMOVING one, skips it.
 */
public final class PartitionDirectory {
    private static final String GENERATION = "g";

    private final ItemStore items;

    PartitionDirectory(ItemStore items) {
        this.items = items;
    }

    /** Partitions (storage keys of a space without a prefix) in the order the directory lists them: Scan order. */
    public static final java.util.Comparator<byte[]> SCAN_ORDER =
            (a, b) -> dev.eddy.core.model.KeyOrder.INSTANCE.compare(scanKey(a), scanKey(b));

    /** The directory's sort key of a partition: its scan bucket, then its bytes. */
    static AttributeValue scanKey(byte[] partition) {
        return AttributeValue.b(scanKeyBytes(ScanSegments.bucket(partition), partition));
    }

    static byte[] scanKeyBytes(int bucket, byte[] partition) {
        byte[] key = new byte[4 + partition.length];
        key[0] = (byte) (bucket >>> 24);
        key[1] = (byte) (bucket >>> 16);
        key[2] = (byte) (bucket >>> 8);
        key[3] = (byte) bucket;
        System.arraycopy(partition, 0, key, 4, partition.length);
        return key;
    }

    private static PrimaryKey entryKey(byte[] partition) {
        return new PrimaryKey(CollectionSpace.SINGLE, scanKey(partition));
    }

    /** Records the partition with its root's generation (before the root is created). */
    void ensure(CollectionSpace space, byte[] partition, long generation) {
        Map<String, AttributeValue> entry = Map.of(GENERATION, AttributeValue.n(Long.toString(generation)));
        items.write(space.directory(), entryKey(partition), existing -> entry);
    }

    /** Records many partitions with their roots' generations (before the roots are created), a directory page at a time. */
    void ensureAll(CollectionSpace space, List<byte[]> partitions, long[] generations) {
        java.util.TreeMap<AttributeValue, byte[]> entries = new java.util.TreeMap<>(dev.eddy.core.model.KeyOrder.INSTANCE);
        for (int i = 0; i < partitions.size(); i++) {
            entries.put(scanKey(partitions.get(i)),
                    ItemCodec.encode(Map.of(GENERATION, AttributeValue.n(Long.toString(generations[i])))));
        }
        items.putAll(space.directory(), CollectionSpace.SINGLE, new java.util.ArrayList<>(entries.keySet()),
                new java.util.ArrayList<>(entries.values()));
    }

    /** Enters an existing partition (of a table being brought to the current layout) under its root's generation. */
    public void rebuildEntry(CollectionSpace space, byte[] partition) {
        byte[] root = items.cache(space, true).get(partition);
        if (root == null) {
            return;
        }
        ensure(space, partition, ItemStore.generation(partition, root, space.sorted()));
    }

    /** Removes the partition's entry if it still names this generation. */
    void remove(CollectionSpace space, byte[] partition, long generation) {
        items.write(space.directory(), entryKey(partition),
                existing -> existing != null && generationOf(existing) == generation ? null : existing);
    }

    private static long generationOf(Map<String, AttributeValue> entry) {
        return Long.parseLong(entry.get(GENERATION).n());
    }

    /** Receives partitions in scan order; false stops the walk. */
    @FunctionalInterface
    interface PartitionVisitor {
        boolean visit(byte[] partition);
    }

    /**
     * Visits the partitions in buckets [{@code fromBucket}, {@code toBucket}) after {@code after}
     * (exclusive; null for the start of the range), in scan order.
     */
    void walk(CollectionSpace space, long fromBucket, long toBucket, byte[] after, boolean consistent,
              PartitionVisitor visitor) {
        AttributeValue start = after != null ? scanKey(after)
                : AttributeValue.b(scanKeyBytes((int) fromBucket, new byte[0]));
        boolean inclusive = after == null;
        items.query(space.directory(), CollectionSpace.SINGLE, start, inclusive, true, consistent, (sk, bytes) -> {
            byte[] key = sk.b();
            long bucket = ((key[0] & 0xFFL) << 24) | ((key[1] & 0xFFL) << 16) | ((key[2] & 0xFFL) << 8) | (key[3] & 0xFFL);
            if (bucket >= toBucket) {
                return false;
            }
            return visitor.visit(Arrays.copyOfRange(key, 4, key.length));
        });
    }

    /** The generation an entry records, from its stored bytes. */
    static long generationOf(byte[] itemBytes) {
        return generationOf(ItemCodec.decode(itemBytes));
    }
}
