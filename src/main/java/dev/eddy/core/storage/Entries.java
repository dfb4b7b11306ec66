package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.storage.near.StoredBytes;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
    /** The same cache without a near cache: where a write's outcome is looked up (see {@link WriteMarks}). */
    private final RemoteCache<WrappedByteArray, WrappedByteArray> owners;

    private final boolean nearCached;

    private final java.util.concurrent.atomic.LongAdder requests;
    /** Every value stored is sealed and every value read opened by it (encryption at rest); keys are not. */
    private final EntrySeal seal;
    /** Asked whether this cache, answering "not ready", is being removed (see {@link Storage#removalsKnownBy}). */
    private final Storage removals;
    /** The node in this process that strong reads ask directly (see {@link LocalNode}); null for none, and for the near-cached view. */
    private final LocalNode local;

    /**
     * @param owners the same cache through a client without a near cache (the cache itself when it
     *               has none)
     * @param local  the node in this process that strong reads ask (see {@link LocalNode}), or null
     */
    Entries(RemoteCache<WrappedByteArray, WrappedByteArray> cache, RemoteCache<WrappedByteArray, WrappedByteArray> owners,
            boolean nearCached, java.util.concurrent.atomic.LongAdder requests, EntrySeal seal, LocalNode local,
            Storage removals) {
        this.removals = removals;
        this.local = nearCached ? null : local;
        this.cache = cache;
        this.owners = owners;
        this.nearCached = nearCached;
        this.returning = cache.withFlags(Flag.FORCE_RETURN_VALUE);
        this.requests = requests;
        this.seal = seal;
    }

    /**
     * A value on its way to the servers, sealed, with the mark of the write that stores it, the
     * version that write replaces and the marks the replaced value carried ({@link WriteMarks}).
     */
    private WrappedByteArray stored(byte[] key, byte[] value, long mark, long replaces, byte[] previousMarks) {
        return wrap(WriteMarks.marked(seal.seal(key, value), mark, replaces, previousMarks));
    }

    /** A value from the servers (or from the near cache, which holds what the servers hold). */
    private byte[] opened(byte[] key, WrappedByteArray stored) {
        return stored == null ? null : seal.open(key, WriteMarks.value(stored.getBytes()));
    }

    private static final byte[] NO_MARKS = new byte[0];

    /**
     * Operations the client retried since it started: a conditional write's "not done" is only
     * worth checking against its mark when this moved while it ran (a retry, of it or of another).
     */
    private long retries() {
        return cache.getRemoteCacheContainer() instanceof org.infinispan.client.hotrod.RemoteCacheManager m
                ? m.getRetries() : -1;
    }

    /**
     * Whether a conditional write the servers answered "not done" had applied after all: its reply
     * was lost (a connection broken, a server killed) and the client's retry found the version moved
     * by that very write. Decided by the marks the value stored now remembers; when they no longer
     * reach back to the write, its outcome is unknown, and the request fails as when the servers
     * could not be reached (it may have applied), rather than answering wrongly.
     */
    private boolean appliedAfterAll(byte[] key, WrappedByteArray now, long mark, long expected) {
        return switch (WriteMarks.outcome(now == null ? null : now.getBytes(), mark, expected)) {
            case APPLIED -> true;
            case NOT_APPLIED -> false;
            case UNKNOWN -> throw new org.infinispan.client.hotrod.exceptions.TransportException(
                    "The outcome of a conditional write retried by the Hot Rod client on " + cache.getName()
                            + " is unknown: the value stored now no longer says who replaced version " + expected,
                    null);
        };
    }

    /**
     * {@link #appliedAfterAll} for a compare-and-set the servers answered "not replaced": the value as
     * the owners hold it now. Asked whether or not the client retried, since the servers' answer itself
     * can be wrong: a conditional write in a non-transactional cache that a topology change makes the
     * originating node retry is compared again, on the retry, with the value it expected or the one it
     * wrote, and if another write came in between it answers "not done" although it applied (Infinispan
     * issue 16703, open, on 16.0.x; fault scenario 6 saw a write answered ConditionalCheckFailed whose
     * item then carried it). When the client did not retry, marks that cannot tell leave the servers'
     * answer standing (more than {@link WriteMarks#DEPTH} writes since, as on a much-contended item).
     */
    private boolean replacedAfterAll(byte[] key, long mark, long version, long retriesBefore) {
        requests.increment();
        MetadataValue<WrappedByteArray> now = owners.getWithMetadata(wrap(key));
        return settled(key, now == null ? null : now.getValue(), mark, version, retries() != retriesBefore);
    }

    /** {@link #replacedAfterAll} without waiting. */
    private CompletableFuture<Boolean> replacedAfterAllAsync(byte[] key, long mark, long version, long retriesBefore) {
        requests.increment();
        return goneIfMissing(owners.getWithMetadataAsync(wrap(key)))
                .thenApply(now -> settled(key, now == null ? null : now.getValue(), mark, version,
                        retries() != retriesBefore));
    }

    /**
     * What the marks of {@code now} say of a write the servers answered "not done": {@code strict} (the
     * client retried it, so its reply may be lost) as {@link #appliedAfterAll}; otherwise only an
     * applied write's mark overrides the answer.
     */
    private boolean settled(byte[] key, WrappedByteArray now, long mark, long expected, boolean strict) {
        if (strict) {
            return appliedAfterAll(key, now, mark, expected);
        }
        return WriteMarks.outcome(now == null ? null : now.getBytes(), mark, expected) == WriteMarks.Outcome.APPLIED;
    }

    /** Whether a put-if-absent that found {@code previous} had stored its own value after all (see {@link #replacedAfterAll}). */
    private boolean createdAfterAll(byte[] key, WrappedByteArray previous, long mark, long retriesBefore) {
        return previous == null || settled(key, previous, mark, WriteMarks.ABSENT, retries() != retriesBefore);
    }

    /**
     * A value with the version a compare-and-set must name.
     *
     * @param cached the near cache answered: the value may be behind the servers' (its invalidation
     *               not arrived yet, or lost, as in a partition), so only a compare-and-set against its
     *               version may conclude anything from it
     */
    public record Versioned(byte[] value, long version, boolean cached, byte[] marks) {
        public Versioned(byte[] value, long version) {
            this(value, version, false, NO_MARKS);
        }

        /** @param marks the write marks the stored value carried, which a compare-and-set on it keeps */
        public Versioned {
            marks = marks == null ? NO_MARKS : marks;
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
            return stored == null ? null : seal.open(key, WriteMarks.value(stored.bytes()));
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
        return seal.open(key, WriteMarks.value(stored.getBytes()));
    }

    /**
     * A value with its version, from the near cache when it holds the key (the version it was read
     * at, which a compare-and-set against it checks), otherwise from a server.
     */
    public CompletableFuture<Versioned> getVersionedAsync(byte[] key) {
        if (local != null) {
            requests.increment();
            return local.readAsync(cache.getName(), key).thenApply(stored -> stored == null ? null : versioned(key, stored));
        }
        CompletableFuture<MetadataValue<WrappedByteArray>> f = cache.getWithMetadataAsync(wrap(key));
        boolean cached = nearCached && f.isDone();
        if (!cached) {
            requests.increment();
        }
        return goneIfMissing(f).thenApply(mv -> mv == null ? null : versioned(key, mv, cached));
    }

    /** A value the node in this process read (see {@link LocalNode}), as stored: marks and all. */
    private Versioned versioned(byte[] key, LocalNode.Stored stored) {
        return new Versioned(seal.open(key, WriteMarks.value(stored.bytes())), stored.version(), false,
                WriteMarks.trailer(stored.bytes()));
    }

    private Versioned versioned(byte[] key, MetadataValue<WrappedByteArray> mv, boolean cached) {
        return new Versioned(opened(key, mv.getValue()), mv.getVersion(), cached, WriteMarks.trailer(mv.getValue().getBytes()));
    }

    /** {@link #replace(byte[], byte[], long)} without waiting. */
    public CompletableFuture<Boolean> replaceAsync(byte[] key, byte[] value, long version) {
        return replaceAsync(key, value, version, NO_MARKS);
    }

    /** {@link #replace(byte[], byte[], Versioned)} without waiting. */
    public CompletableFuture<Boolean> replaceAsync(byte[] key, byte[] value, Versioned previous) {
        return replaceAsync(key, value, previous.version(), previous.marks());
    }

    private CompletableFuture<Boolean> replaceAsync(byte[] key, byte[] value, long version, byte[] previousMarks) {
        requests.increment();
        long mark = WriteMarks.newMark();
        long retriesBefore = retries();
        return goneIfMissing(cache.replaceWithVersionAsync(wrap(key), stored(key, value, mark, version, previousMarks), version))
                .handle((replaced, failure) -> {
                    if (failure == null) {
                        return replaced ? CompletableFuture.completedFuture(true)
                                : replacedAfterAllAsync(key, mark, version, retriesBefore);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    return cause instanceof RuntimeException e && !(e instanceof Storage.MissingCacheException) && serverError(e)
                            ? replacedAgainAsync(key, value, version, previousMarks, mark, e)
                            : CompletableFuture.<Boolean>failedFuture(cause);
                })
                .thenCompose(settled -> settled);
    }

    /** {@link #replacedAgain} without waiting. */
    private CompletableFuture<Boolean> replacedAgainAsync(byte[] key, byte[] value, long version, byte[] previousMarks,
                                                         long mark, RuntimeException first) {
        requests.increment();
        return cache.replaceWithVersionAsync(wrap(key), stored(key, value, mark, version, previousMarks), version)
                .thenCompose(replaced -> {
                    if (replaced) {
                        return CompletableFuture.completedFuture(true);
                    }
                    requests.increment();
                    return owners.getWithMetadataAsync(wrap(key))
                            .thenApply(now -> appliedAfterAll(key, now == null ? null : now.getValue(), mark, version));
                })
                .handle((applied, again) -> {
                    if (again != null) {
                        first.addSuppressed(again instanceof CompletionException && again.getCause() != null
                                ? again.getCause() : again);
                        throw first;
                    }
                    return applied;
                });
    }

    /** {@link #putIfAbsent(byte[], byte[])} without waiting. */
    public CompletableFuture<Boolean> putIfAbsentAsync(byte[] key, byte[] value) {
        requests.increment();
        long mark = WriteMarks.newMark();
        long retriesBefore = retries();
        return goneIfMissing(returning.putIfAbsentAsync(wrap(key), stored(key, value, mark, WriteMarks.ABSENT, NO_MARKS)))
                .thenApply(previous -> {
            boolean stored = createdAfterAll(key, previous, mark, retriesBefore);
            PartitionMirror m = mirror;
            if (stored && m != null) {
                m.created(key);
            }
            return stored;
        });
    }

    /**
     * {@link #gone} for a request that must not wait: a failure that says the cache is gone becomes
     * {@link Storage.MissingCacheException} by its message; one that says it is not ready asks the
     * catalog elsewhere (the rare case: a node stopping, or DeleteTable).
     */
    private <T> CompletableFuture<T> goneIfMissing(CompletableFuture<T> f) {
        if (f.isDone() && !f.isCompletedExceptionally()) {
            return f; // the near cache's answers, the common case
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        f.whenComplete((value, failure) -> {
            if (failure == null) {
                answer.complete(value);
                return;
            }
            switch (goneBy(failure)) {
                case YES -> answer.completeExceptionally(new Storage.MissingCacheException(cache.getName()));
                case ASK -> removals.beingRemovedAsync(cache.getName()).whenComplete((removed, e) ->
                        answer.completeExceptionally(Boolean.TRUE.equals(removed)
                                ? new Storage.MissingCacheException(cache.getName()) : failure));
                default -> answer.completeExceptionally(failure);
            }
        });
        return answer;
    }

    /** What the servers' errors among {@code failure}'s causes say of this cache (see {@link #gone(String, String)}). */
    private Gone goneBy(Throwable failure) {
        Gone verdict = Gone.NO;
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof org.infinispan.client.hotrod.exceptions.HotRodClientException && c.getMessage() != null) {
                Gone g = gone(cache.getName(), c.getMessage());
                if (g == Gone.YES) {
                    return g;
                }
                if (g == Gone.ASK) {
                    verdict = g;
                }
            }
        }
        return verdict;
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
                return stored == null ? null : versioned(key, stored);
            } else {
                requests.increment();
                mv = cache.getWithMetadata(wrap(key));
            }
        } catch (RuntimeException e) {
            throw gone(e);
        }
        return mv == null ? null : versioned(key, mv, cached);
    }

    /** Stores the value when the key is absent; true when it did. */
    public boolean putIfAbsent(byte[] key, byte[] value) {
        requests.increment();
        boolean stored;
        long mark = WriteMarks.newMark();
        long retriesBefore = retries();
        try {
            WrappedByteArray previous = returning.putIfAbsent(wrap(key), stored(key, value, mark, WriteMarks.ABSENT, NO_MARKS));
            stored = createdAfterAll(key, previous, mark, retriesBefore);
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
        long mark = WriteMarks.newMark();
        long retriesBefore = retries();
        try {
            WrappedByteArray previous = returning.putIfAbsent(wrap(key), stored(key, value, mark, WriteMarks.ABSENT, NO_MARKS),
                    lifespanMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            return createdAfterAll(key, previous, mark, retriesBefore);
        } catch (RuntimeException e) {
            throw gone(e);
        }
    }

    /** Replaces a value by version, the new value expiring by itself after {@code lifespanMillis}. */
    public boolean replace(byte[] key, byte[] value, long version, long lifespanMillis) {
        requests.increment();
        long mark = WriteMarks.newMark();
        long retriesBefore = retries();
        try {
            return cache.replaceWithVersion(wrap(key), stored(key, value, mark, version, NO_MARKS), version,
                    (int) Math.max(1, lifespanMillis / 1000)) || replacedAfterAll(key, mark, version, retriesBefore);
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
                    out.put(new AttributeValue.ByteString(k), seal.open(k, WriteMarks.value(stored.bytes())));
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

    /**
     * Replaces a value by version; true when it did. A "not replaced" whose reply the client retried
     * is checked against the write's mark (see {@link WriteMarks}).
     */
    public boolean replace(byte[] key, byte[] value, long version) {
        return replace(key, value, version, NO_MARKS);
    }

    /** {@link #replace(byte[], byte[], long)} of a value read with its marks, which the new value keeps. */
    public boolean replace(byte[] key, byte[] value, Versioned previous) {
        return replace(key, value, previous.version(), previous.marks());
    }

    private boolean replace(byte[] key, byte[] value, long version, byte[] previousMarks) {
        requests.increment();
        long mark = WriteMarks.newMark();
        long retriesBefore = retries();
        try {
            return cache.replaceWithVersion(wrap(key), stored(key, value, mark, version, previousMarks), version)
                    || replacedAfterAll(key, mark, version, retriesBefore);
        } catch (RuntimeException e) {
            RuntimeException failed = gone(e);
            if (failed != e || !serverError(e)) {
                throw failed;
            }
            return replacedAgain(key, value, version, previousMarks, mark, e);
        }
    }

    /**
     * A compare-and-set the server failed with an error of its own (seen during a rolling restart: a
     * node stopping under the write answered a NullPointerException of its replace): whether it applied
     * is unknown, and the request would fail with a 500 though it may have changed the item. The same
     * write again, under the same mark, settles it: it replaces the version (the first did not apply),
     * or finds the version moved, by that first attempt or by another writer, which the marks tell.
     * Fails as before when this second attempt fails too or the marks cannot tell.
     */
    private boolean replacedAgain(byte[] key, byte[] value, long version, byte[] previousMarks, long mark,
                                  RuntimeException first) {
        try {
            requests.increment();
            if (cache.replaceWithVersion(wrap(key), stored(key, value, mark, version, previousMarks), version)) {
                return true;
            }
            requests.increment();
            MetadataValue<WrappedByteArray> now = owners.getWithMetadata(wrap(key));
            return appliedAfterAll(key, now == null ? null : now.getValue(), mark, version);
        } catch (RuntimeException again) {
            first.addSuppressed(again);
            throw first;
        }
    }

    /**
     * Whether a failure is an error the servers answered, not a connection's. (The client puts the words
     * "returned server error" in the exception's toString, not its message: ask the exception.)
     */
    private static boolean serverError(RuntimeException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.infinispan.client.hotrod.exceptions.TransportException) {
                return false;
            }
            if (c instanceof org.infinispan.client.hotrod.exceptions.HotRodClientException h && h.isServerError()) {
                return true;
            }
        }
        return false;
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
            cache.put(wrap(key), stored(key, value, 0, 0, NO_MARKS)); // unconditional: nothing to tell apart
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
                if (seal.isStale(WriteMarks.value(stored.getBytes()))) {
                    stale++;
                    requests.increment();
                    long version = e.getValue().getVersion();
                    cache.replaceWithVersion(wrap(key), stored(key, opened(key, stored), WriteMarks.newMark(), version,
                            WriteMarks.trailer(stored.getBytes())), version);
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
        switch (goneBy(e)) {
            case YES:
                return new Storage.MissingCacheException(cache.getName());
            case ASK:
                return removals.beingRemoved(cache.getName()) ? new Storage.MissingCacheException(cache.getName()) : e;
            default:
                break;
        }
        // A cache stopping under a request may fail it in other ways too (a server-side error of the
        // operation itself): one look at the cache tells whether it is on its way out.
        return serverError(e) && !stillThere() ? new Storage.MissingCacheException(cache.getName()) : e;
    }

    /** What a server error says of a cache: gone, not gone, or ask the catalog. */
    enum Gone { NO, YES, ASK }

    /**
     * What a server error says of a cache. "Not found" is gone. "Not ready" (a cache stopping) is
     * either a cache Eddy removes on its way out (a table's, a backup's: the DeleteTable race) or the
     * cache stopping with its node (a rolling restart, a whole cluster starting again), which is the
     * store unavailable for a moment and not a table that does not exist: for a table's or backup's
     * cache the catalog is asked which ({@link Storage#removalsKnownBy}); Eddy's own caches are never
     * removed (fault scenario 2 had 56 requests answered ResourceNotFound while the catalog's cache
     * was not ready, and tables' caches then answered the same).
     */
    static Gone gone(String cacheName, String message) {
        if (message.contains(CACHE_NOT_FOUND)) {
            return Gone.YES;
        }
        return message.contains(CACHE_NOT_READY) && removable(cacheName) ? Gone.ASK : Gone.NO;
    }

    private static boolean removable(String cacheName) {
        return cacheName.startsWith(Storage.PREFIX + "t.") || cacheName.startsWith(Storage.PREFIX + "backup.");
    }

    private boolean stillThere() {
        try {
            cache.containsKey(wrap(new byte[] {PROBE}));
            return true;
        } catch (RuntimeException probe) {
            return switch (goneBy(probe)) {
                case YES -> false;
                case ASK -> !removals.beingRemoved(cache.getName());
                case NO -> true;
            };
        }
    }

    /** A key no collection uses, for the look above. */
    private static final byte PROBE = 0x70;

    /** The servers' exception for an operation on a cache that does not exist. */
    private static final String CACHE_NOT_FOUND = "CacheNotFoundException";
    /** ISPN005066, the servers' code for a cache that is stopping (being removed). */
    private static final String CACHE_NOT_READY = "ISPN005066";

    public RemoteCacheClientStatisticsMXBean clientStatistics() {
        return cache.clientStatistics();
    }

}
