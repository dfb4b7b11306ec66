package dev.eddy.core.backup;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.KeyOrder;
import dev.eddy.core.storage.CollectionSpace;
import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.storage.PartitionDirectory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads a backup back, partition by partition in Scan order: the runs and the captures of each
 * partition merged into its items as of the backup's point (see {@link BackupData}). An item read
 * more than once keeps its state of the highest sequence number. A reader can start after a given
 * partition and chunk, which is how a restore carries on after a crash.
 */
final class BackupReader {
    /** Partitions taken from the captures' directory at a time. */
    private static final int CAPTURE_BATCH = 256;

    /** One partition of the backup: its storage key, partition key value, and items in sort-key order. */
    record Partition(byte[] partition, AttributeValue hash, List<PointItem> items) {
    }

    private final ItemStore items;
    private final Entries cache;
    private final CollectionSpace captures;
    private final long chunks;
    private final byte[] after;
    private long chunk;
    private final Deque<BackupData.Group> runGroups = new ArrayDeque<>();
    private final Deque<byte[]> capturePartitions = new ArrayDeque<>();
    private byte[] capturesAfter;
    private boolean capturesDone;

    /**
     * @param after     read the partitions after this one (null: from the first)
     * @param fromChunk the run chunk to start reading at (0, or a position this reader reported)
     */
    BackupReader(ItemStore items, Entries cache, String cacheName, long chunks, byte[] after, long fromChunk) {
        this.items = items;
        this.cache = cache;
        this.captures = BackupData.captures(cacheName);
        this.chunks = chunks;
        this.after = after;
        this.chunk = fromChunk;
        this.capturesAfter = after;
    }

    /** The run chunk a reader carrying on after the partition last returned starts at. */
    long position() {
        return runGroups.isEmpty() ? chunk : chunk - 1;
    }

    /** The next partition, or null when the backup is read. */
    Partition next() {
        BackupData.Group run = peekRun();
        byte[] captured = peekCapture();
        if (run == null && captured == null) {
            return null;
        }
        byte[] partition = run == null ? captured
                : captured == null ? run.partition()
                : PartitionDirectory.SCAN_ORDER.compare(run.partition(), captured) <= 0 ? run.partition() : captured;
        TreeMap<AttributeValue, PointItem> merged = new TreeMap<>(KeyOrder.INSTANCE);
        AttributeValue none = AttributeValue.s("");
        for (BackupData.Group g = peekRun(); g != null && Arrays.equals(g.partition(), partition); g = peekRun()) {
            runGroups.poll();
            g.items().forEach(i -> keepLatest(merged, none, i));
        }
        AttributeValue hash = captures.hashOf(partition);
        if (captured != null && Arrays.equals(captured, partition)) {
            capturePartitions.poll();
            items.query(captures, hash, null, true, true, true, (pageKey, bytes) -> {
                BackupData.capturedItems(bytes).forEach(i -> keepLatest(merged, none, i));
                return true;
            });
        }
        List<PointItem> out = new ArrayList<>(merged.values());
        return new Partition(partition, hash, out);
    }

    private static void keepLatest(TreeMap<AttributeValue, PointItem> merged, AttributeValue none, PointItem i) {
        merged.merge(i.sortKey() == null ? none : i.sortKey(), i, (a, b) -> b.sequence() > a.sequence() ? b : a);
    }

    private BackupData.Group peekRun() {
        while (runGroups.isEmpty() && chunk < chunks) {
            for (BackupData.Group g : BackupData.readRun(cache, chunk)) {
                if (after == null || PartitionDirectory.SCAN_ORDER.compare(g.partition(), after) > 0) {
                    runGroups.add(g);
                }
            }
            chunk++;
        }
        return runGroups.peek();
    }

    private byte[] peekCapture() {
        if (capturePartitions.isEmpty() && !capturesDone) {
            List<byte[]> batch = new ArrayList<>();
            items.forEachPartition(captures, capturesAfter, p -> {
                batch.add(p);
                return batch.size() < CAPTURE_BATCH;
            });
            if (batch.size() < CAPTURE_BATCH) {
                capturesDone = true;
            }
            if (!batch.isEmpty()) {
                capturesAfter = batch.get(batch.size() - 1);
                capturePartitions.addAll(batch);
            }
        }
        return capturePartitions.peek();
    }
}
