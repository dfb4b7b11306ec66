package dev.eddy.core.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.infinispan.commons.hash.MurmurHash3;
import org.infinispan.commons.util.CloseableIterator;

/**
 * The order Scan visits partitions in: by a 31-bit hash bucket of the partition key (MurmurHash3,
 * as Infinispan spreads keys), then by the key bytes. A DynamoDB parallel-scan segment is a range
 * of buckets, so segments never overlap and any number of them up to a million is meaningful.
 *
 * <p>Each step lists the table's partition keys (keys only) and keeps the next few in this order;
 * a Scan page therefore costs one pass over the partition keys plus the items it returns.
 * (Infinispan's own segment-filtered iteration would avoid the pass; over Hot Rod 16.0.12 it was
 * refused by the server for some segment sets, so it is not relied on.)
 */
final class ScanSegments {
    static final long BUCKETS = 1L << 31;

    private ScanSegments() {
    }

    static int bucket(byte[] partition) {
        return MurmurHash3.getInstance().hash(partition) & Integer.MAX_VALUE;
    }

    /** The first bucket of DynamoDB segment {@code segment} of {@code total} (total: one past the last). */
    static long firstBucket(int segment, int total) {
        return BUCKETS * segment / total;
    }

    static final Comparator<byte[]> ORDER = Comparator.<byte[]>comparingInt(ScanSegments::bucket)
            .thenComparing(Arrays::compareUnsigned);

    /**
     * Up to {@code max} partitions after {@code after} (exclusive; null for the start) within buckets
     * [{@code fromBucket}, {@code toBucket}), in scan order.
     */
    static List<byte[]> next(Entries cache, java.util.function.Predicate<byte[]> isRoot, long fromBucket,
                             long toBucket, byte[] after, int max) {
        PriorityQueue<byte[]> best = new PriorityQueue<>(max + 1, ORDER.reversed());
        try (CloseableIterator<byte[]> it = cache.keys()) {
            while (it.hasNext()) {
                byte[] key = it.next();
                if (!isRoot.test(key)) {
                    continue;
                }
                int b = bucket(key);
                if (b < fromBucket || b >= toBucket || (after != null && ORDER.compare(key, after) <= 0)) {
                    continue;
                }
                best.add(key);
                if (best.size() > max) {
                    best.poll();
                }
            }
        }
        List<byte[]> out = new ArrayList<>(best);
        out.sort(ORDER);
        return out;
    }
}
