package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;
import java.util.Map;
import org.infinispan.client.hotrod.Flag;
import org.infinispan.client.hotrod.MetadataValue;
import org.infinispan.client.hotrod.RemoteCache;
import org.infinispan.client.hotrod.jmx.RemoteCacheClientStatisticsMXBean;
import org.infinispan.commons.marshall.WrappedByteArray;
import org.infinispan.commons.util.CloseableIterator;

/**
 * One cache seen as bytes to bytes: the Hot Rod operations the storage engine uses, with keys
 * wrapped for value equality (see {@link OctetStreamMarshaller}) so the rest of the engine deals in
 * plain arrays.
 */
public final class Entries {
    private final RemoteCache<WrappedByteArray, WrappedByteArray> cache;
    private final RemoteCache<WrappedByteArray, WrappedByteArray> returning;

    private final boolean nearCached;

    private final java.util.concurrent.atomic.LongAdder requests;
    /** Every value stored is sealed and every value read opened by it (encryption at rest); keys are not. */
    private final EntrySeal seal;

    Entries(RemoteCache<WrappedByteArray, WrappedByteArray> cache, boolean nearCached,
            java.util.concurrent.atomic.LongAdder requests) {
        this(cache, nearCached, requests, EntrySeal.NONE);
    }

    Entries(RemoteCache<WrappedByteArray, WrappedByteArray> cache, boolean nearCached,
            java.util.concurrent.atomic.LongAdder requests, EntrySeal seal) {
        this.cache = cache;
        this.nearCached = nearCached;
        this.returning = cache.withFlags(Flag.FORCE_RETURN_VALUE);
        this.requests = requests;
        this.seal = seal;
    }

    /** A value on its way to the servers. */
    private WrappedByteArray sealed(byte[] key, byte[] value) {
        return wrap(seal.seal(key, value));
    }

    /** A value from the servers (or from the near cache, which holds what the servers hold). */
    private byte[] opened(byte[] key, WrappedByteArray stored) {
        return stored == null ? null : seal.open(key, stored.getBytes());
    }

    /** A value with the version a compare-and-set must name. */
    public record Versioned(byte[] value, long version) {
    }

    private static WrappedByteArray wrap(byte[] b) {
        return new WrappedByteArray(b);
    }

    public byte[] get(byte[] key) {
        if (NonBlocking.active()) {
            if (!nearCached) {
                throw NonBlocking.wouldBlock();
            }
            // The near cache answers getAsync with a completed future; anything else is a server trip.
            java.util.concurrent.CompletableFuture<WrappedByteArray> f = cache.getAsync(wrap(key));
            if (!f.isDone()) {
                throw NonBlocking.wouldBlock(f); // a miss: the read is on its way and will fill the near cache
            }
            if (f.isCompletedExceptionally()) {
                throw NonBlocking.wouldBlock();
            }
            return opened(key, f.join());
        }
        if (nearCached) {
            // The near cache answers with a completed future; anything else went to a server.
            java.util.concurrent.CompletableFuture<WrappedByteArray> f = cache.getAsync(wrap(key));
            if (!f.isDone()) {
                requests.increment();
            }
            return opened(key, f.join());
        }
        requests.increment();
        return opened(key, cache.get(wrap(key)));
    }

    public Versioned getVersioned(byte[] key) {
        NonBlocking.mayBlock();
        requests.increment();
        MetadataValue<WrappedByteArray> mv = cache.getWithMetadata(wrap(key));
        return mv == null ? null : new Versioned(opened(key, mv.getValue()), mv.getVersion());
    }

    /** Stores the value when the key is absent; true when it did. */
    public boolean putIfAbsent(byte[] key, byte[] value) {
        NonBlocking.mayBlock();
        requests.increment();
        boolean stored = returning.putIfAbsent(wrap(key), sealed(key, value)) == null;
        PartitionMirror m = mirror;
        if (stored && m != null) {
            m.created(key); // this instance's own new collections are in its Scans at once
        }
        return stored;
    }

    private volatile PartitionMirror mirror;
    private volatile long mirrorRetryNanos;

    /** How long a cache whose copy was dropped goes back to listing keys before another copy is tried. */
    private static final long MIRROR_RETRY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

    /**
     * This instance's copy of the collection roots (see {@link PartitionMirror}), started on first
     * use; null while none can be trusted (dropped within the last minute, or past its memory budget).
     */
    PartitionMirror partitionMirror(long maxBytes, java.util.concurrent.atomic.AtomicLong sharedBytes) {
        PartitionMirror m = mirror;
        if (m != null && m.valid()) {
            return m;
        }
        synchronized (this) {
            m = mirror;
            if (m != null && m.valid()) {
                return m;
            }
            if (maxBytes <= 0 || (mirrorRetryNanos != 0 && System.nanoTime() - mirrorRetryNanos < 0)) {
                return null;
            }
            PartitionMirror started = PartitionMirror.start(cache, key -> !StorageKeys.isPage(key), maxBytes, sharedBytes, () -> {
                mirror = null;
                mirrorRetryNanos = System.nanoTime() + MIRROR_RETRY_NANOS;
            });
            if (!started.valid()) {
                started.stop(); // dropped while registering: make sure the registration is gone
                return null;
            }
            mirror = started;
            return started;
        }
    }

    /** Stops following the cache (its table is gone). */
    void close() {
        PartitionMirror m = mirror;
        mirror = null;
        if (m != null) {
            m.stop();
        }
    }

    /** Stores the value when the key is absent, to expire by itself after {@code lifespanMillis}; true when it did. */
    public boolean putIfAbsent(byte[] key, byte[] value, long lifespanMillis) {
        NonBlocking.mayBlock();
        requests.increment();
        return returning.putIfAbsent(wrap(key), sealed(key, value), lifespanMillis,
                java.util.concurrent.TimeUnit.MILLISECONDS) == null;
    }

    /** Replaces a value by version, the new value expiring by itself after {@code lifespanMillis}. */
    public boolean replace(byte[] key, byte[] value, long version, long lifespanMillis) {
        NonBlocking.mayBlock();
        requests.increment();
        return cache.replaceWithVersion(wrap(key), sealed(key, value), version, (int) Math.max(1, lifespanMillis / 1000));
    }

    /** Many values in one call (one request per server that owns some of them); absent keys are left out. */
    public Map<AttributeValue.ByteString, byte[]> getAll(java.util.Collection<byte[]> keys) {
        NonBlocking.mayBlock();
        requests.increment();
        java.util.Set<WrappedByteArray> wrapped = new java.util.HashSet<>();
        for (byte[] k : keys) {
            wrapped.add(wrap(k));
        }
        Map<AttributeValue.ByteString, byte[]> out = new java.util.HashMap<>();
        cache.getAll(wrapped).forEach((k, v) -> out.put(new AttributeValue.ByteString(k.getBytes()), opened(k.getBytes(), v)));
        return out;
    }

    public boolean replace(byte[] key, byte[] value, long version) {
        NonBlocking.mayBlock();
        requests.increment();
        return cache.replaceWithVersion(wrap(key), sealed(key, value), version);
    }

    public boolean remove(byte[] key, long version) {
        NonBlocking.mayBlock();
        requests.increment();
        return cache.removeWithVersion(wrap(key), version);
    }

    public void put(byte[] key, byte[] value) {
        NonBlocking.mayBlock();
        requests.increment();
        cache.put(wrap(key), sealed(key, value));
    }

    public void remove(byte[] key) {
        NonBlocking.mayBlock();
        requests.increment();
        cache.remove(wrap(key));
    }

    /** Every key, streamed from the servers. */
    public CloseableIterator<byte[]> keys() {
        NonBlocking.mayBlock();
        CloseableIterator<WrappedByteArray> it = cache.keySet().iterator();
        return new CloseableIterator<>() {
            @Override
            public void close() {
                it.close();
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public byte[] next() {
                requests.increment();
                return it.next().getBytes();
            }
        };
    }

    /** Every value, streamed from the servers in batches. */
    public void forEachEntry(java.util.function.BiConsumer<byte[], byte[]> action) {
        NonBlocking.mayBlock();
        try (CloseableIterator<Map.Entry<Object, Object>> it = cache.retrieveEntries(null, 1000)) {
            while (it.hasNext()) {
                Map.Entry<Object, Object> e = it.next();
                requests.increment();
                byte[] key = ((WrappedByteArray) e.getKey()).getBytes();
                action.accept(key, opened(key, (WrappedByteArray) e.getValue()));
            }
        }
    }

    /** The cache's hash segments, or 0 when it has none (a local cache): units {@link #reseal} can resume by. */
    public int segmentCount() {
        NonBlocking.mayBlock();
        Integer n = cache.getCacheTopologyInfo().getNumSegments();
        return n == null ? 0 : n;
    }

    /**
     * Seals again, each by compare-and-set on the version it was read with, the values of these hash
     * segments (null: all) that the seal no longer stores as it would now ({@link EntrySeal#isStale}:
     * a key version rotated out, a value stored before encryption). A value changed meanwhile is left
     * to its writer, who sealed it as of now. For caches whose entries have no lifespan. Stops early
     * when {@code go} says so; returns the stale values found.
     */
    public int reseal(java.util.Set<Integer> segments, java.util.function.BooleanSupplier go) {
        NonBlocking.mayBlock();
        int stale = 0;
        try (CloseableIterator<Map.Entry<Object, MetadataValue<Object>>> it =
                     cache.retrieveEntriesWithMetadata(segments, 1000)) {
            while (it.hasNext() && go.getAsBoolean()) {
                Map.Entry<Object, MetadataValue<Object>> e = it.next();
                requests.increment();
                byte[] key = ((WrappedByteArray) e.getKey()).getBytes();
                WrappedByteArray stored = (WrappedByteArray) e.getValue().getValue();
                if (seal.isStale(stored.getBytes())) {
                    stale++;
                    requests.increment();
                    cache.replaceWithVersion(wrap(key), sealed(key, opened(key, stored)), e.getValue().getVersion());
                }
            }
        }
        return stale;
    }

    public RemoteCacheClientStatisticsMXBean clientStatistics() {
        return cache.clientStatistics();
    }

}
