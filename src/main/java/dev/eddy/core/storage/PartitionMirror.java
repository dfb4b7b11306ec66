package dev.eddy.core.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Predicate;
import org.infinispan.client.hotrod.RemoteCache;
import org.infinispan.client.hotrod.annotation.ClientCacheEntryCreated;
import org.infinispan.client.hotrod.annotation.ClientCacheEntryExpired;
import org.infinispan.client.hotrod.annotation.ClientCacheEntryRemoved;
import org.infinispan.client.hotrod.annotation.ClientCacheFailover;
import org.infinispan.client.hotrod.annotation.ClientListener;
import org.infinispan.client.hotrod.event.ClientCacheEntryCreatedEvent;
import org.infinispan.client.hotrod.event.ClientCacheEntryExpiredEvent;
import org.infinispan.client.hotrod.event.ClientCacheEntryRemovedEvent;
import org.infinispan.client.hotrod.event.ClientCacheFailoverEvent;
import org.infinispan.commons.marshall.WrappedByteArray;

/**
 * This instance's copy of one cache's collection roots (partition keys), in {@link ScanSegments}
 * order, for eventually consistent Scans: a page finds its next partitions by a seek instead of a
 * pass over every key of the table. It is what the near cache is to GetItem. A Hot Rod client
 * listener fills it with the roots that exist when it registers ({@code includeCurrentState}) and
 * then follows creations and removals; the servers send only those two kinds of event (the client
 * names its interests), and within a millisecond or so of the write. Collections this instance
 * creates itself are added at once too, so a Scan here sees this instance's own writes.
 *
 * <p>A root that is gone but still listed costs a Scan one read that finds nothing; a root that
 * exists but is missing would be skipped, so the copy is dropped (and a Scan goes back to listing the
 * keys) whenever the listener may have missed events: on a fail-over, or past its size limit.
 */
final class PartitionMirror {
    /** A root key with its scan bucket, ordered as Scan visits partitions. */
    record Root(int bucket, byte[] key) implements Comparable<Root> {
        static Root of(byte[] key) {
            return new Root(ScanSegments.bucket(key), key);
        }

        @Override
        public int compareTo(Root o) {
            int c = Integer.compare(bucket, o.bucket);
            return c != 0 ? c : Arrays.compareUnsigned(key, o.key);
        }
    }

    private final RemoteCache<WrappedByteArray, WrappedByteArray> cache;
    private final Predicate<byte[]> isRoot;
    private final long maxBytes;
    private final java.util.concurrent.atomic.AtomicLong sharedBytes;
    private final java.util.concurrent.atomic.AtomicLong heldBytes = new java.util.concurrent.atomic.AtomicLong();
    /** What a copied key costs beyond its bytes: the skip-list node and the root record. */
    private static final int OVERHEAD = 80;
    private final ConcurrentSkipListSet<Root> roots = new ConcurrentSkipListSet<>();
    private final Listener listener = new Listener();
    private final Runnable onInvalid;
    private volatile boolean valid = true;

    private PartitionMirror(RemoteCache<WrappedByteArray, WrappedByteArray> cache, Predicate<byte[]> isRoot,
                            long maxBytes, java.util.concurrent.atomic.AtomicLong sharedBytes, Runnable onInvalid) {
        this.cache = cache;
        this.isRoot = isRoot;
        this.maxBytes = maxBytes;
        this.sharedBytes = sharedBytes;
        this.onInvalid = onInvalid;
    }

    /**
     * Registers the listener; returns once the roots that exist now are in the copy (or it was
     * dropped on the way: the copies of all tables would pass {@code maxBytes}).
     */
    static PartitionMirror start(RemoteCache<WrappedByteArray, WrappedByteArray> cache, Predicate<byte[]> isRoot,
                                 long maxBytes, java.util.concurrent.atomic.AtomicLong sharedBytes, Runnable onInvalid) {
        PartitionMirror mirror = new PartitionMirror(cache, isRoot, maxBytes, sharedBytes, onInvalid);
        cache.addClientListener(mirror.listener);
        return mirror;
    }

    boolean valid() {
        return valid;
    }

    /** A collection created (by this instance, or seen by the listener). */
    void created(byte[] key) {
        if (!valid || !isRoot.test(key)) {
            return;
        }
        if (roots.add(Root.of(key))) {
            long cost = OVERHEAD + key.length;
            heldBytes.addAndGet(cost);
            if (sharedBytes.addAndGet(cost) > maxBytes) {
                invalidate();
            }
        }
    }

    private void remove(byte[] key) {
        if (isRoot.test(key) && roots.remove(Root.of(key))) {
            long cost = OVERHEAD + key.length;
            heldBytes.addAndGet(-cost);
            sharedBytes.addAndGet(-cost);
        }
    }

    /**
     * Up to {@code max} roots accepted by {@code filter}, after {@code after} (exclusive; null for
     * the start) within buckets [{@code fromBucket}, {@code toBucket}), in scan order; null when the
     * copy can no longer be trusted.
     */
    List<byte[]> next(Predicate<byte[]> filter, long fromBucket, long toBucket, byte[] after, int max) {
        if (!valid) {
            return null;
        }
        Root from = after != null ? Root.of(after) : new Root((int) Math.min(fromBucket, Integer.MAX_VALUE), new byte[0]);
        List<byte[]> out = new ArrayList<>(Math.min(max, 64));
        for (Root r : roots.tailSet(from, after == null)) {
            if (r.bucket() < fromBucket) {
                continue;
            }
            if (r.bucket() >= toBucket || out.size() >= max) {
                break;
            }
            if (filter.test(r.key())) {
                out.add(r.key());
            }
        }
        return valid ? out : null;
    }

    void stop() {
        valid = false;
        roots.clear();
        sharedBytes.addAndGet(-heldBytes.getAndSet(0));
        try {
            cache.removeClientListener(listener);
        } catch (RuntimeException ignored) {
            // the connection is gone, and with it the registration
        }
    }

    /** Drops the copy and unregisters its listener (not on the listener's own thread, whose connection the removal waits on). */
    private void invalidate() {
        if (valid) {
            valid = false;
            roots.clear();
            sharedBytes.addAndGet(-heldBytes.getAndSet(0));
            onInvalid.run();
            ForkJoinPool.commonPool().execute(this::stop);
        }
    }

    @ClientListener(includeCurrentState = true)
    public final class Listener {
        @ClientCacheEntryCreated
        public void created(ClientCacheEntryCreatedEvent<WrappedByteArray> e) {
            PartitionMirror.this.created(e.getKey().getBytes());
        }

        @ClientCacheEntryRemoved
        public void removed(ClientCacheEntryRemovedEvent<WrappedByteArray> e) {
            remove(e.getKey().getBytes());
        }

        @ClientCacheEntryExpired
        public void expired(ClientCacheEntryExpiredEvent<WrappedByteArray> e) {
            remove(e.getKey().getBytes());
        }

        @ClientCacheFailover
        public void failover(ClientCacheFailoverEvent e) {
            // Events may have been lost while the listener moved to another server.
            invalidate();
        }
    }
}
