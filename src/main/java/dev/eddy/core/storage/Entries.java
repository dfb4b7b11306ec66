package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.storage.near.StoredBytes;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

    Entries(RemoteCache<WrappedByteArray, WrappedByteArray> cache, boolean nearCached,
            java.util.concurrent.atomic.LongAdder requests) {
        this.cache = cache;
        this.nearCached = nearCached;
        this.returning = cache.withFlags(Flag.FORCE_RETURN_VALUE);
        this.requests = requests;
    }

    /** A value with the version a compare-and-set must name. */
    public record Versioned(byte[] value, long version) {
    }

    private static WrappedByteArray wrap(byte[] b) {
        return new WrappedByteArray(b);
    }

    private static byte[] bytes(WrappedByteArray w) {
        return w == null ? null : w.getBytes();
    }

    public byte[] get(byte[] key) {
        if (nearCached) {
            // The near cache answers with a completed future; anything else went to a server.
            java.util.concurrent.CompletableFuture<WrappedByteArray> f = cache.getAsync(wrap(key));
            if (!f.isDone()) {
                requests.increment();
            }
            return bytes(f.join());
        }
        requests.increment();
        return bytes(cache.get(wrap(key)));
    }

    // --- without waiting: the Hot Rod async API ------------------------------------------------

    /**
     * The stored value, with the view a reader may have attached to it ({@link StoredBytes}): a
     * completed future when the near cache answers, otherwise one that completes when a server does
     * (on a Hot Rod thread).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public CompletableFuture<StoredBytes> getStoredAsync(byte[] key) {
        CompletableFuture f = cache.getAsync(wrap(key));
        if (!nearCached || !f.isDone()) {
            requests.increment();
        }
        return (CompletableFuture<StoredBytes>) f;
    }

    /**
     * A value with its version, from the near cache when it holds the key (the version it was read
     * at, which a compare-and-set against it checks), otherwise from a server.
     */
    public CompletableFuture<Versioned> getVersionedAsync(byte[] key) {
        CompletableFuture<MetadataValue<WrappedByteArray>> f = cache.getWithMetadataAsync(wrap(key));
        if (!nearCached || !f.isDone()) {
            requests.increment();
        }
        return f.thenApply(mv -> mv == null ? null : new Versioned(mv.getValue().getBytes(), mv.getVersion()));
    }

    /** {@link #replace(byte[], byte[], long)} without waiting. */
    public CompletableFuture<Boolean> replaceAsync(byte[] key, byte[] value, long version) {
        requests.increment();
        return cache.replaceWithVersionAsync(wrap(key), wrap(value), version);
    }

    /** {@link #putIfAbsent(byte[], byte[])} without waiting. */
    public CompletableFuture<Boolean> putIfAbsentAsync(byte[] key, byte[] value) {
        requests.increment();
        return returning.putIfAbsentAsync(wrap(key), wrap(value)).thenApply(previous -> {
            boolean stored = previous == null;
            PartitionMirror m = mirror;
            if (stored && m != null) {
                m.created(key);
            }
            return stored;
        });
    }

    public Versioned getVersioned(byte[] key) {
        requests.increment();
        MetadataValue<WrappedByteArray> mv = cache.getWithMetadata(wrap(key));
        return mv == null ? null : new Versioned(mv.getValue().getBytes(), mv.getVersion());
    }

    /** Stores the value when the key is absent; true when it did. */
    public boolean putIfAbsent(byte[] key, byte[] value) {
        requests.increment();
        boolean stored = returning.putIfAbsent(wrap(key), wrap(value)) == null;
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
        requests.increment();
        return returning.putIfAbsent(wrap(key), wrap(value), lifespanMillis, java.util.concurrent.TimeUnit.MILLISECONDS) == null;
    }

    /** Replaces a value by version, the new value expiring by itself after {@code lifespanMillis}. */
    public boolean replace(byte[] key, byte[] value, long version, long lifespanMillis) {
        requests.increment();
        return cache.replaceWithVersion(wrap(key), wrap(value), version, (int) Math.max(1, lifespanMillis / 1000));
    }

    /** Many values in one call (one request per server that owns some of them); absent keys are left out. */
    public Map<AttributeValue.ByteString, byte[]> getAll(java.util.Collection<byte[]> keys) {
        requests.increment();
        java.util.Set<WrappedByteArray> wrapped = new java.util.HashSet<>();
        for (byte[] k : keys) {
            wrapped.add(wrap(k));
        }
        Map<AttributeValue.ByteString, byte[]> out = new java.util.HashMap<>();
        cache.getAll(wrapped).forEach((k, v) -> out.put(new AttributeValue.ByteString(k.getBytes()), v.getBytes()));
        return out;
    }

    public boolean replace(byte[] key, byte[] value, long version) {
        requests.increment();
        return cache.replaceWithVersion(wrap(key), wrap(value), version);
    }

    public boolean remove(byte[] key, long version) {
        requests.increment();
        return cache.removeWithVersion(wrap(key), version);
    }

    public void put(byte[] key, byte[] value) {
        requests.increment();
        cache.put(wrap(key), wrap(value));
    }

    public void remove(byte[] key) {
        requests.increment();
        cache.remove(wrap(key));
    }

    /** Every key, streamed from the servers. */
    public CloseableIterator<byte[]> keys() {
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
        try (CloseableIterator<Map.Entry<Object, Object>> it = cache.retrieveEntries(null, 1000)) {
            while (it.hasNext()) {
                Map.Entry<Object, Object> e = it.next();
                requests.increment();
                action.accept(((WrappedByteArray) e.getKey()).getBytes(), ((WrappedByteArray) e.getValue()).getBytes());
            }
        }
    }

    public RemoteCacheClientStatisticsMXBean clientStatistics() {
        return cache.clientStatistics();
    }

}
