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
    /** Every value stored is sealed and every value read opened by it (encryption at rest); keys are not. */
    private final EntrySeal seal;
    /** The node in this process that strong reads ask directly (see {@link LocalNode}); null for none, and for the near-cached view. */
    private final LocalNode local;

    Entries(RemoteCache<WrappedByteArray, WrappedByteArray> cache, boolean nearCached,
            java.util.concurrent.atomic.LongAdder requests) {
        this(cache, nearCached, requests, EntrySeal.NONE);
    }

    Entries(RemoteCache<WrappedByteArray, WrappedByteArray> cache, boolean nearCached,
            java.util.concurrent.atomic.LongAdder requests, EntrySeal seal) {
        this(cache, nearCached, requests, seal, null);
    }

    Entries(RemoteCache<WrappedByteArray, WrappedByteArray> cache, boolean nearCached,
            java.util.concurrent.atomic.LongAdder requests, EntrySeal seal, LocalNode local) {
        this.local = nearCached ? null : local;
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

    /**
     * A value with the version a compare-and-set must name.
     *
     * @param cached the near cache answered: the value may be behind the servers' (its invalidation
     *               not arrived yet, or lost, as in a partition), so only a compare-and-set against its
     *               version may conclude anything from it
     */
    public record Versioned(byte[] value, long version, boolean cached) {
        public Versioned(byte[] value, long version) {
            this(value, version, false);
        }
    }

    private static WrappedByteArray wrap(byte[] b) {
        return new WrappedByteArray(b);
    }

    public byte[] get(byte[] key) {
        try {
            return getOrThrow(key);
        } catch (RuntimeException e) {
            throw gone(e);
        }
    }

    private byte[] getOrThrow(byte[] key) {
        if (nearCached) {
            // The near cache answers with a completed future; anything else went to a server.
            java.util.concurrent.CompletableFuture<WrappedByteArray> f = cache.getAsync(wrap(key));
            if (!f.isDone()) {
                requests.increment();
            }
            return opened(key, f.join());
        }
        requests.increment();
        if (local != null) {
            LocalNode.Stored stored = local.read(cache.getName(), key);
            return stored == null ? null : seal.open(key, stored.bytes());
        }
        return opened(key, cache.get(wrap(key)));
    }

    // --- without waiting: the Hot Rod async API ------------------------------------------------

    /**
     * The stored value, with the view a reader may have attached to it ({@link StoredBytes}): a
     * completed future when the near cache answers, otherwise one that completes when a server does
     * (on a Hot Rod thread). Its bytes are as stored (sealed, for a cache encrypted at rest): read
     * them with {@link #plain}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public CompletableFuture<StoredBytes> getStoredAsync(byte[] key) {
        if (local != null) {
            requests.increment();
            return local.readAsync(cache.getName(), key).thenApply(stored -> stored == null ? null
                    : new StoredBytes(stored.bytes(), null));
        }
        CompletableFuture f = cache.getAsync(wrap(key));
        if (!nearCached || !f.isDone()) {
            requests.increment();
        }
        return goneIfMissing((CompletableFuture<StoredBytes>) f);
    }

    /**
     * The value {@link #getStoredAsync} found, opened. Readers keep what they make of it as the
     * value's view, so a value the near cache holds is opened once, by its first reader.
     */
    public byte[] plain(byte[] key, StoredBytes stored) {
        return seal.open(key, stored.getBytes());
    }

    /**
     * A value with its version, from the near cache when it holds the key (the version it was read
     * at, which a compare-and-set against it checks), otherwise from a server.
     */
    public CompletableFuture<Versioned> getVersionedAsync(byte[] key) {
        if (local != null) {
            requests.increment();
            return local.readAsync(cache.getName(), key).thenApply(stored -> stored == null ? null
                    : new Versioned(seal.open(key, stored.bytes()), stored.version(), false));
        }
        CompletableFuture<MetadataValue<WrappedByteArray>> f = cache.getWithMetadataAsync(wrap(key));
        boolean cached = nearCached && f.isDone();
        if (!cached) {
            requests.increment();
        }
        return goneIfMissing(f).thenApply(mv -> mv == null ? null
                : new Versioned(opened(key, mv.getValue()), mv.getVersion(), cached));
    }

    /** {@link #replace(byte[], byte[], long)} without waiting. */
    public CompletableFuture<Boolean> replaceAsync(byte[] key, byte[] value, long version) {
        requests.increment();
        return goneIfMissing(cache.replaceWithVersionAsync(wrap(key), sealed(key, value), version));
    }

    /** {@link #putIfAbsent(byte[], byte[])} without waiting. */
    public CompletableFuture<Boolean> putIfAbsentAsync(byte[] key, byte[] value) {
        requests.increment();
        return goneIfMissing(returning.putIfAbsentAsync(wrap(key), sealed(key, value))).thenApply(previous -> {
            boolean stored = previous == null;
            PartitionMirror m = mirror;
            if (stored && m != null) {
                m.created(key);
            }
            return stored;
        });
    }

    /**
     * {@link #gone} for a request that must not wait: a failure that says the cache is gone becomes
     * {@link Storage.MissingCacheException} by its message alone (no look at the cache).
     */
    private <T> CompletableFuture<T> goneIfMissing(CompletableFuture<T> f) {
        if (f.isDone() && !f.isCompletedExceptionally()) {
            return f; // the near cache's answers, the common case
        }
        return f.handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            for (Throwable c = failure; c != null; c = c.getCause()) {
                if (c instanceof org.infinispan.client.hotrod.exceptions.HotRodClientException && c.getMessage() != null
                        && isGone(c.getMessage())) {
                    throw new Storage.MissingCacheException(cache.getName());
                }
            }
            throw failure instanceof java.util.concurrent.CompletionException ce ? ce
                    : new java.util.concurrent.CompletionException(failure);
        });
    }

    /** The value with its version; through the near-cached client, from the near cache when it holds it (see {@link Versioned#cached}). */
    public Versioned getVersioned(byte[] key) {
        MetadataValue<WrappedByteArray> mv;
        boolean cached = false;
        try {
            if (nearCached) {
                // The near cache answers with a completed future; anything else went to a server.
                CompletableFuture<MetadataValue<WrappedByteArray>> f = cache.getWithMetadataAsync(wrap(key));
                cached = f.isDone();
                if (!cached) {
                    requests.increment();
                }
                mv = f.join();
            } else if (local != null) {
                requests.increment();
                LocalNode.Stored stored = local.read(cache.getName(), key);
                return stored == null ? null : new Versioned(seal.open(key, stored.bytes()), stored.version(), false);
            } else {
                requests.increment();
                mv = cache.getWithMetadata(wrap(key));
            }
        } catch (RuntimeException e) {
            throw gone(e);
        }
        return mv == null ? null : new Versioned(opened(key, mv.getValue()), mv.getVersion(), cached);
    }

    /** Stores the value when the key is absent; true when it did. */
    public boolean putIfAbsent(byte[] key, byte[] value) {
        requests.increment();
        boolean stored;
        try {
            stored = returning.putIfAbsent(wrap(key), sealed(key, value)) == null;
        } catch (RuntimeException e) {
            throw gone(e);
        }
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
            PartitionMirror started;
            try {
                started = PartitionMirror.start(cache, key -> !StorageKeys.isPage(key), maxBytes, sharedBytes, () -> {
                    mirror = null;
                    mirrorRetryNanos = System.nanoTime() + MIRROR_RETRY_NANOS;
                });
            } catch (RuntimeException e) {
                throw gone(e);
            }
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

    /**
     * Unregisters the near cache's listener and empties it, while the cache still exists: once the
     * servers have removed the cache they refuse the unregistration, and the client's own stop then
     * ends early, leaving its connections retrying (and logging errors) after the servers are gone.
     */
    void stopNearCache() {
        if (nearCached) {
            cache.stop();
        }
    }

    /** Stores the value when the key is absent, to expire by itself after {@code lifespanMillis}; true when it did. */
    public boolean putIfAbsent(byte[] key, byte[] value, long lifespanMillis) {
        requests.increment();
        try {
            return returning.putIfAbsent(wrap(key), sealed(key, value), lifespanMillis, java.util.concurrent.TimeUnit.MILLISECONDS) == null;
        } catch (RuntimeException e) {
            throw gone(e);
        }
    }

    /** Replaces a value by version, the new value expiring by itself after {@code lifespanMillis}. */
    public boolean replace(byte[] key, byte[] value, long version, long lifespanMillis) {
        requests.increment();
        try {
            return cache.replaceWithVersion(wrap(key), sealed(key, value), version, (int) Math.max(1, lifespanMillis / 1000));
        } catch (RuntimeException e) {
            throw gone(e);
        }
    }

    /** Many values in one call (one request per server that owns some of them); absent keys are left out. */
    public Map<AttributeValue.ByteString, byte[]> getAll(java.util.Collection<byte[]> keys) {
        requests.increment();
        java.util.Set<WrappedByteArray> wrapped = new java.util.HashSet<>();
        for (byte[] k : keys) {
            wrapped.add(wrap(k));
        }
        Map<AttributeValue.ByteString, byte[]> out = new java.util.HashMap<>();
        if (local != null) {
            for (byte[] k : keys) {
                LocalNode.Stored stored = local.read(cache.getName(), k);
                if (stored != null) {
                    out.put(new AttributeValue.ByteString(k), seal.open(k, stored.bytes()));
                }
            }
            return out;
        }
        Map<WrappedByteArray, WrappedByteArray> found;
        try {
            found = cache.getAll(wrapped);
        } catch (RuntimeException e) {
            throw gone(e);
        }
        found.forEach((k, v) -> out.put(new AttributeValue.ByteString(k.getBytes()), opened(k.getBytes(), v)));
        return out;
    }

    public boolean replace(byte[] key, byte[] value, long version) {
        requests.increment();
        try {
            return cache.replaceWithVersion(wrap(key), sealed(key, value), version);
        } catch (RuntimeException e) {
            throw gone(e);
        }
    }

    public boolean remove(byte[] key, long version) {
        requests.increment();
        try {
            return cache.removeWithVersion(wrap(key), version);
        } catch (RuntimeException e) {
            throw gone(e);
        }
    }

    public void put(byte[] key, byte[] value) {
        requests.increment();
        try {
            cache.put(wrap(key), sealed(key, value));
        } catch (RuntimeException e) {
            throw gone(e);
        }
    }

    public void remove(byte[] key) {
        requests.increment();
        try {
            cache.remove(wrap(key));
        } catch (RuntimeException e) {
            throw gone(e);
        }
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
                try {
                    return it.hasNext();
                } catch (RuntimeException e) {
                    throw gone(e);
                }
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
            while (hasNext(it)) {
                Map.Entry<Object, Object> e = it.next();
                requests.increment();
                byte[] key = ((WrappedByteArray) e.getKey()).getBytes();
                action.accept(key, opened(key, (WrappedByteArray) e.getValue()));
            }
        }
    }

    /** The cache's hash segments, or 0 when it has none (a local cache): units {@link #reseal} can resume by. */
    public int segmentCount() {
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
        int stale = 0;
        try (CloseableIterator<Map.Entry<Object, MetadataValue<Object>>> it =
                     cache.retrieveEntriesWithMetadata(segments, 1000)) {
            while (hasNext(it) && go.getAsBoolean()) {
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


    private boolean hasNext(java.util.Iterator<?> it) {
        try {
            return it.hasNext();
        } catch (RuntimeException e) {
            throw gone(e);
        }
    }

    /**
     * A failure because the cache itself is gone (its table deleted meanwhile: the servers answer
     * "not found" or, while it stops, "not ready") becomes {@link Storage.MissingCacheException}, which
     * a request turns into DynamoDB's ResourceNotFoundException; anything else is left as it is.
     */
    private RuntimeException gone(RuntimeException e) {
        boolean serverError = false;
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (c instanceof org.infinispan.client.hotrod.exceptions.HotRodClientException && m != null) {
                if (isGone(m)) {
                    return new Storage.MissingCacheException(cache.getName());
                }
                serverError |= m.contains(SERVER_ERROR);
            }
        }
        // A cache stopping under a request may fail it in other ways too (a server-side error of the
        // operation itself): one look at the cache tells whether it is on its way out.
        return serverError && !stillThere() ? new Storage.MissingCacheException(cache.getName()) : e;
    }

    private static boolean isGone(String message) {
        return message.contains(CACHE_NOT_FOUND) || message.contains(CACHE_NOT_READY);
    }

    private boolean stillThere() {
        try {
            cache.containsKey(wrap(new byte[] {PROBE}));
            return true;
        } catch (RuntimeException probe) {
            for (Throwable c = probe; c != null; c = c.getCause()) {
                if (c.getMessage() != null && isGone(c.getMessage())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A key no collection uses, for the look above. */
    private static final byte PROBE = 0x70;
    /** How the client words an error the servers sent back for a request. */
    private static final String SERVER_ERROR = "returned server error";

    /** The servers' exception for an operation on a cache that does not exist. */
    private static final String CACHE_NOT_FOUND = "CacheNotFoundException";
    /** ISPN005066, the servers' code for a cache that is stopping (being removed). */
    private static final String CACHE_NOT_READY = "ISPN005066";

    public RemoteCacheClientStatisticsMXBean clientStatistics() {
        return cache.clientStatistics();
    }

}
