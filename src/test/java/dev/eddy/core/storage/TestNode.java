package dev.eddy.core.storage;

import dev.eddy.core.StorageConfig;
import dev.eddy.core.Meters;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.server.core.admin.embeddedserver.EmbeddedServerAdminOperationHandler;
import org.infinispan.server.hotrod.HotRodServer;
import org.infinispan.server.hotrod.configuration.HotRodServerConfigurationBuilder;

/**
 * A real Infinispan node with its Hot Rod server on a free loopback port, for the engine's own
 * tests: in memory, with the {@code eddy-table} template the engine creates table caches from.
 */
final class TestNode implements AutoCloseable {
    private final DefaultCacheManager manager;
    private final HotRodServer server;
    final Storage storage;

    TestNode(long nearCacheBytes, int pageBytes) {
        this(nearCacheBytes, pageBytes, StorageConfig.DEFAULT_NEAR_CACHE_MAX_AGE_MILLIS);
    }

    /** @param nearCacheMaxAgeMillis how long a near-cache entry is kept after it was read */
    TestNode(long nearCacheBytes, int pageBytes, long nearCacheMaxAgeMillis) {
        GlobalConfigurationBuilder global = new GlobalConfigurationBuilder().nonClusteredDefault();
        global.cacheContainer().statistics(false);
        // Caches are created over Hot Rod, which needs global state; nothing here outlives the test.
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("eddy-core-test");
            global.globalState().enable().persistentLocation(dir.toString()).sharedPersistentLocation(dir.toString())
                    .temporaryLocation(dir.toString()).configurationStorage(org.infinispan.globalstate.ConfigurationStorage.OVERLAY);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        manager = new DefaultCacheManager(global.build(), false);
        ConfigurationBuilder template = new ConfigurationBuilder();
        template.template(true).clustering().cacheMode(CacheMode.LOCAL);
        template.encoding().mediaType("application/octet-stream");
        manager.defineConfiguration(StorageConfig.DEFAULT_TEMPLATE, template.build());
        manager.start();
        server = new HotRodServer();
        server.start(new HotRodServerConfigurationBuilder().host("127.0.0.1").port(0)
                .adminOperationsHandler(new EmbeddedServerAdminOperationHandler()).build(), manager);
        server.postStart();
        storage = new Storage(new StorageConfig("127.0.0.1:" + server.getPort(), StorageConfig.DEFAULT_TEMPLATE,
                nearCacheBytes, pageBytes).withNearCacheMaxAge(nearCacheMaxAgeMillis));
    }

    ItemStore items(int pageBytes) {
        return new ItemStore(storage, pageBytes, new Meters());
    }

    /** Every key of a cache, as the servers hold them now. */
    java.util.List<byte[]> keys(String cacheName) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        try (var it = storage.strong(cacheName).keys()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /**
     * Changes a stored value on the node itself, with a version of its own, and tells no listener:
     * the clients' near caches keep the value they had, as when the servers' invalidation is lost
     * (a partition cut the near cache's listener off).
     */
    void changeUnannounced(String cacheName, byte[] key, java.util.function.UnaryOperator<byte[]> change) {
        org.infinispan.commons.dataconversion.MediaType bytes = org.infinispan.commons.dataconversion.MediaType.APPLICATION_OCTET_STREAM;
        org.infinispan.AdvancedCache<Object, Object> cache = manager.getCache(cacheName).getAdvancedCache()
                .withMediaType(bytes, bytes).withFlags(org.infinispan.context.Flag.SKIP_LISTENER_NOTIFICATION);
        org.infinispan.container.entries.CacheEntry<Object, Object> stored = cache.getCacheEntry(key);
        long version = ((org.infinispan.container.versioning.NumericVersion) stored.getMetadata().version()).getVersion();
        byte[] value = WriteMarks.value((byte[]) stored.getValue());
        cache.put(key, WriteMarks.marked(change.apply(value), 0, 0, new byte[0]), new org.infinispan.metadata.EmbeddedMetadata.Builder()
                .version(new org.infinispan.container.versioning.NumericVersion(version + 1_000_000)).build());
    }

    /**
     * Stores {@code stored} (a value as {@link #stored} gave it, write marks and all) again, with a
     * version of its own, telling no listener: a merge that keeps the other side's copy of an entry
     * over the one this node changed while it was cut off.
     */
    void restore(String cacheName, byte[] key, byte[] stored) {
        org.infinispan.commons.dataconversion.MediaType bytes = org.infinispan.commons.dataconversion.MediaType.APPLICATION_OCTET_STREAM;
        org.infinispan.AdvancedCache<Object, Object> cache = manager.getCache(cacheName).getAdvancedCache()
                .withMediaType(bytes, bytes).withFlags(org.infinispan.context.Flag.SKIP_LISTENER_NOTIFICATION);
        long version = ((org.infinispan.container.versioning.NumericVersion) cache.getCacheEntry(key).getMetadata().version())
                .getVersion();
        cache.put(key, stored, new org.infinispan.metadata.EmbeddedMetadata.Builder()
                .version(new org.infinispan.container.versioning.NumericVersion(version + 1_000_000)).build());
    }

    /** A value as the node stores it (with its write marks), or null. */
    byte[] stored(String cacheName, byte[] key) {
        org.infinispan.commons.dataconversion.MediaType octets = org.infinispan.commons.dataconversion.MediaType.APPLICATION_OCTET_STREAM;
        return (byte[]) manager.getCache(cacheName).getAdvancedCache().withMediaType(octets, octets).get(key);
    }

    /** The cache's interceptor of this class, first in its chain, added by {@code made} when it has none yet. */
    private static <T extends org.infinispan.interceptors.AsyncInterceptor> T interceptor(
            org.infinispan.AdvancedCache<Object, Object> cache, Class<T> type, java.util.function.Supplier<T> made) {
        org.infinispan.interceptors.AsyncInterceptorChain chain = org.infinispan.factories.ComponentRegistry
                .componentOf(cache, org.infinispan.interceptors.AsyncInterceptorChain.class);
        T found = chain.findInterceptorWithClass(type);
        if (found == null) {
            found = made.get();
            chain.addInterceptor(found, 0);
        }
        return found;
    }

    /**
     * Makes the node lose the reply of the next write that stores {@code key} in {@code cacheName}:
     * the write applies, then every Hot Rod connection to the node is closed before the reply goes
     * out, as when the server a client was talking to is killed after the owners applied the write.
     * The client retries the write on a new connection. Before the retry arrives, other writers
     * replace the value {@code otherWrites} times (keeping its marks, as Eddy's writers do).
     */
    void loseReplyOfNextWrite(String cacheName, byte[] key, int otherWrites) {
        org.infinispan.AdvancedCache<Object, Object> cache = manager.getCache(cacheName).getAdvancedCache();
        interceptor(cache, ReplyLoss.class, () -> new ReplyLoss(cache)).arm(key, otherWrites);
    }

    /**
     * {@link #loseReplyOfNextWrite}, with the write held on its way in until {@code release} completes
     * ({@code reached} completes when it arrives): a write in flight for as long as the test wants, as
     * when a client's request waits out a cluster that is away and lands after it is back.
     */
    void holdThenLoseReplyOfNextWrite(String cacheName, byte[] key, int otherWrites,
                                      java.util.concurrent.CompletableFuture<Void> reached,
                                      java.util.concurrent.CompletionStage<?> release) {
        loseReplyOfNextWrite(cacheName, key, otherWrites);
        org.infinispan.AdvancedCache<Object, Object> cache = manager.getCache(cacheName).getAdvancedCache();
        org.infinispan.factories.ComponentRegistry.componentOf(cache, org.infinispan.interceptors.AsyncInterceptorChain.class)
                .findInterceptorWithClass(ReplyLoss.class).hold(key, reached, release);
    }

    /**
     * Makes the node answer like a replica that missed a write: once the next write storing {@code key}
     * in {@code cacheName} has applied, the next {@code reads} reads of the key answer that it is absent
     * (the key had no value before that write). So reads a node cut off from the others serves before it
     * notices the partition, or while it merges back, of an entry first written on the other side.
     */
    void missNextWriteInReads(String cacheName, byte[] key, int reads) {
        org.infinispan.AdvancedCache<Object, Object> cache = manager.getCache(cacheName).getAdvancedCache();
        interceptor(cache, MissedWrite.class, MissedWrite::new).arm(key, reads);
    }

    /** Reads answered so far by {@link #missNextWriteInReads} as if the write had not happened. */
    int readsThatMissedAWrite() {
        return missedReads.get();
    }

    private final java.util.concurrent.atomic.AtomicInteger missedReads = new java.util.concurrent.atomic.AtomicInteger();

    /** The key an interceptor is armed for, matched by its bytes as the node holds them; taken where it acts once. */
    private static final class ArmedKey {
        private volatile byte[] key;

        void arm(byte[] k) {
            key = k;
        }

        boolean matches(Object stored) {
            byte[] armed = key;
            byte[] bytes = stored instanceof org.infinispan.commons.marshall.WrappedByteArray w ? w.getBytes()
                    : stored instanceof byte[] b ? b : null;
            return armed != null && java.util.Arrays.equals(armed, bytes);
        }

        /** Whether {@code stored} is the armed key; disarms if so. */
        synchronized boolean take(Object stored) {
            if (!matches(stored)) {
                return false;
            }
            key = null;
            return true;
        }
    }

    /** The server-side half of {@link #missNextWriteInReads}. */
    private final class MissedWrite extends org.infinispan.interceptors.DDAsyncInterceptor {
        private final ArmedKey armedKey = new ArmedKey();
        private volatile boolean written;
        private final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

        void arm(byte[] key, int count) {
            written = false;
            reads.set(count);
            armedKey.arm(key);
        }

        private boolean armed(Object key) {
            return armedKey.matches(key);
        }

        @Override
        public Object visitPutKeyValueCommand(org.infinispan.context.InvocationContext ctx,
                                              org.infinispan.commands.write.PutKeyValueCommand command) {
            return invokeNextThenAccept(ctx, command, (c, cmd, rv) -> written |= cmd.isSuccessful() && armed(cmd.getKey()));
        }

        @Override
        public Object visitReplaceCommand(org.infinispan.context.InvocationContext ctx,
                                          org.infinispan.commands.write.ReplaceCommand command) {
            return invokeNextThenAccept(ctx, command, (c, cmd, rv) -> written |= cmd.isSuccessful() && armed(cmd.getKey()));
        }

        @Override
        public Object visitGetCacheEntryCommand(org.infinispan.context.InvocationContext ctx,
                                                org.infinispan.commands.read.GetCacheEntryCommand command) throws Throwable {
            return missed(command.getKey()) ? null : super.visitGetCacheEntryCommand(ctx, command);
        }

        @Override
        public Object visitGetKeyValueCommand(org.infinispan.context.InvocationContext ctx,
                                              org.infinispan.commands.read.GetKeyValueCommand command) throws Throwable {
            return missed(command.getKey()) ? null : super.visitGetKeyValueCommand(ctx, command);
        }

        private boolean missed(Object key) {
            if (!written || !armed(key) || reads.getAndDecrement() <= 0) {
                return false;
            }
            missedReads.incrementAndGet();
            return true;
        }
    }

    /**
     * Makes the node answer the next compare-and-set of {@code key} in {@code cacheName} with an error
     * of its own ({@code applied}: after the write applied, else before it), as a node stopping under a
     * write did during a rolling restart (a NullPointerException of the server's replace).
     */
    void failNextReplace(String cacheName, byte[] key, boolean applied) {
        org.infinispan.AdvancedCache<Object, Object> cache = manager.getCache(cacheName).getAdvancedCache();
        interceptor(cache, FailedReplace.class, FailedReplace::new).arm(key, applied);
    }

    /**
     * Makes the node answer the next compare-and-set of {@code key} in {@code cacheName} "not done"
     * after it applied, as Infinispan's non-transactional caches can around a topology change (the
     * originator retries the conditional write, another write has moved the value meanwhile, and the
     * retry's comparison fails: Infinispan issue 16703). The client sees an ordinary "not replaced"
     * and does not retry.
     */
    void denyNextReplaceAfterApplying(String cacheName, byte[] key) {
        org.infinispan.AdvancedCache<Object, Object> cache = manager.getCache(cacheName).getAdvancedCache();
        interceptor(cache, DeniedReplace.class, DeniedReplace::new).arm(key);
    }

    /** Replaces answered "not done" after applying so far by {@link #denyNextReplaceAfterApplying}. */
    int replacesDenied() {
        return deniedReplaces.get();
    }

    private final java.util.concurrent.atomic.AtomicInteger deniedReplaces = new java.util.concurrent.atomic.AtomicInteger();

    /** The server-side half of {@link #denyNextReplaceAfterApplying}. */
    private final class DeniedReplace extends org.infinispan.interceptors.DDAsyncInterceptor {
        private final ArmedKey armedKey = new ArmedKey();

        void arm(byte[] key) {
            armedKey.arm(key);
        }

        @Override
        public Object visitReplaceCommand(org.infinispan.context.InvocationContext ctx,
                                          org.infinispan.commands.write.ReplaceCommand command) throws Throwable {
            if (!armedKey.take(command.getKey())) {
                return super.visitReplaceCommand(ctx, command);
            }
            return invokeNextThenApply(ctx, command, (c, cmd, rv) -> {
                if (Boolean.TRUE.equals(rv)) {
                    deniedReplaces.incrementAndGet();
                    return Boolean.FALSE;
                }
                return rv;
            });
        }
    }

    /**
     * Makes the node answer every compare-and-set of {@code key} in {@code cacheName} "not replaced",
     * without applying it, until {@code until} completes: as a version read from a node that a
     * rebalance has left behind the owners fails every compare-and-set made against it.
     */
    void refuseReplaces(String cacheName, byte[] key, java.util.concurrent.CompletionStage<?> until) {
        org.infinispan.AdvancedCache<Object, Object> cache = manager.getCache(cacheName).getAdvancedCache();
        interceptor(cache, RefusedReplaces.class, RefusedReplaces::new).arm(key, until);
    }

    /** Replaces refused so far by {@link #refuseReplaces}. */
    int replacesRefused() {
        return refusedReplaces.get();
    }

    private final java.util.concurrent.atomic.AtomicInteger refusedReplaces = new java.util.concurrent.atomic.AtomicInteger();

    /** The server-side half of {@link #refuseReplaces}. */
    private final class RefusedReplaces extends org.infinispan.interceptors.DDAsyncInterceptor {
        private final ArmedKey armedKey = new ArmedKey();

        void arm(byte[] key, java.util.concurrent.CompletionStage<?> until) {
            armedKey.arm(key);
            until.whenComplete((v, e) -> armedKey.arm(null));
        }

        @Override
        public Object visitReplaceCommand(org.infinispan.context.InvocationContext ctx,
                                          org.infinispan.commands.write.ReplaceCommand command) throws Throwable {
            if (!armedKey.matches(command.getKey())) {
                return super.visitReplaceCommand(ctx, command);
            }
            refusedReplaces.incrementAndGet();
            command.fail();
            return Boolean.FALSE;
        }
    }

    /**
     * Holds the next unconditional put into {@code cacheName}, whatever its key, on its way in until
     * {@code release} completes ({@code reached} completes when it arrives). In a table's cache such a
     * put stores a new page: the pieces of a split.
     */
    void holdNextPut(String cacheName, java.util.concurrent.CompletableFuture<Void> reached,
                     java.util.concurrent.CompletionStage<?> release) {
        org.infinispan.AdvancedCache<Object, Object> cache = manager.getCache(cacheName).getAdvancedCache();
        interceptor(cache, HeldPut.class, HeldPut::new).arm(reached, release);
    }

    /** The server-side half of {@link #holdNextPut}. */
    private static final class HeldPut extends org.infinispan.interceptors.DDAsyncInterceptor {
        private volatile java.util.concurrent.CompletableFuture<Void> reached;
        private volatile java.util.concurrent.CompletionStage<?> release;

        synchronized void arm(java.util.concurrent.CompletableFuture<Void> arrived, java.util.concurrent.CompletionStage<?> until) {
            reached = arrived;
            release = until;
        }

        private synchronized java.util.concurrent.CompletionStage<?> take() {
            java.util.concurrent.CompletionStage<?> wait = release;
            if (wait != null) {
                release = null;
                reached.complete(null);
            }
            return wait;
        }

        @Override
        public Object visitPutKeyValueCommand(org.infinispan.context.InvocationContext ctx,
                                              org.infinispan.commands.write.PutKeyValueCommand command) {
            java.util.concurrent.CompletionStage<?> wait = command.isConditional() ? null : take();
            return wait == null ? invokeNext(ctx, command) : asyncInvokeNext(ctx, command, wait);
        }
    }

    /**
     * Makes the cache answer the next {@code count} compare-and-sets of {@code key} in {@code cacheName}
     * with no result, applying nothing, as a cache stopping under the write did in a rolling restart: the
     * node's Hot Rod server then fails the request with its own NullPointerException ("replaced" is null).
     */
    void answerNothingToReplaces(String cacheName, byte[] key, int count) {
        org.infinispan.AdvancedCache<Object, Object> cache = manager.getCache(cacheName).getAdvancedCache();
        interceptor(cache, NoAnswerReplace.class, NoAnswerReplace::new).arm(key, count);
    }

    /** The server-side half of {@link #answerNothingToReplaces}. */
    private static final class NoAnswerReplace extends org.infinispan.interceptors.DDAsyncInterceptor {
        private final ArmedKey armedKey = new ArmedKey();
        private final java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger();

        void arm(byte[] key, int count) {
            left.set(count);
            armedKey.arm(key);
        }

        @Override
        public Object visitReplaceCommand(org.infinispan.context.InvocationContext ctx,
                                          org.infinispan.commands.write.ReplaceCommand command) throws Throwable {
            if (!armedKey.matches(command.getKey()) || left.getAndDecrement() <= 0) {
                return super.visitReplaceCommand(ctx, command);
            }
            return null;
        }
    }

    /** Replaces failed so far by {@link #failNextReplace}. */
    int replacesFailed() {
        return failedReplaces.get();
    }

    private final java.util.concurrent.atomic.AtomicInteger failedReplaces = new java.util.concurrent.atomic.AtomicInteger();

    /** The server-side half of {@link #failNextReplace}. */
    private final class FailedReplace extends org.infinispan.interceptors.DDAsyncInterceptor {
        private final ArmedKey armedKey = new ArmedKey();
        private volatile boolean afterApplying;

        void arm(byte[] key, boolean applied) {
            afterApplying = applied;
            armedKey.arm(key);
        }

        private boolean take(Object key) {
            if (!armedKey.take(key)) {
                return false;
            }
            failedReplaces.incrementAndGet();
            return true;
        }

        @Override
        public Object visitReplaceCommand(org.infinispan.context.InvocationContext ctx,
                                          org.infinispan.commands.write.ReplaceCommand command) throws Throwable {
            if (!take(command.getKey())) {
                return super.visitReplaceCommand(ctx, command);
            }
            if (!afterApplying) {
                throw new NullPointerException("the replace failed on the server before it applied (test)");
            }
            return invokeNextThenApply(ctx, command, (c, cmd, rv) -> {
                throw new NullPointerException("the replace failed on the server after it applied (test)");
            });
        }
    }

    /** Replies lost so far by {@link #loseReplyOfNextWrite}. */
    int repliesLost() {
        return lost.get();
    }

    private final java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();

    /** The server-side half of {@link #loseReplyOfNextWrite}: sees each write after it applied. */
    private final class ReplyLoss extends org.infinispan.interceptors.DDAsyncInterceptor {
        private final org.infinispan.AdvancedCache<Object, Object> cache;
        private final ArmedKey armedKey = new ArmedKey();
        private volatile int otherWrites;

        ReplyLoss(org.infinispan.AdvancedCache<Object, Object> cache) {
            this.cache = cache;
        }

        private final ArmedKey heldKey = new ArmedKey();
        private volatile java.util.concurrent.CompletableFuture<Void> reached;
        private volatile java.util.concurrent.CompletionStage<?> release;

        void arm(byte[] key, int writes) {
            otherWrites = writes;
            armedKey.arm(key);
        }

        void hold(byte[] key, java.util.concurrent.CompletableFuture<Void> arrived, java.util.concurrent.CompletionStage<?> until) {
            reached = arrived;
            release = until;
            heldKey.arm(key);
        }

        /** The stage the write waits for before it applies, when it is the one to hold; else null. */
        private java.util.concurrent.CompletionStage<?> holding(Object key) {
            if (!heldKey.take(key)) {
                return null;
            }
            reached.complete(null);
            return release;
        }

        @Override
        public Object visitReplaceCommand(org.infinispan.context.InvocationContext ctx,
                                          org.infinispan.commands.write.ReplaceCommand command) {
            java.util.concurrent.CompletionStage<?> wait = holding(command.getKey());
            if (wait != null) {
                return makeStage(asyncInvokeNext(ctx, command, wait)).thenAccept(ctx, command,
                        (c, cmd, rv) -> applied(cmd.getKey(), cmd.isSuccessful(), cmd.getMetadata()));
            }
            return invokeNextThenAccept(ctx, command, (c, cmd, rv) -> applied(cmd.getKey(), cmd.isSuccessful(), cmd.getMetadata()));
        }

        @Override
        public Object visitPutKeyValueCommand(org.infinispan.context.InvocationContext ctx,
                                              org.infinispan.commands.write.PutKeyValueCommand command) {
            java.util.concurrent.CompletionStage<?> wait = holding(command.getKey());
            if (wait != null) {
                return makeStage(asyncInvokeNext(ctx, command, wait)).thenAccept(ctx, command,
                        (c, cmd, rv) -> applied(cmd.getKey(), cmd.isSuccessful(), cmd.getMetadata()));
            }
            return invokeNextThenAccept(ctx, command, (c, cmd, rv) -> applied(cmd.getKey(), cmd.isSuccessful(), cmd.getMetadata()));
        }

        private void applied(Object key, boolean successful, org.infinispan.metadata.Metadata metadata) {
            if (!successful || !armedKey.take(key)) {
                return;
            }
            long version = ((org.infinispan.container.versioning.NumericVersion) metadata.version()).getVersion();
            for (int i = 0; i < otherWrites; i++) {
                version = anotherWriter(key, version);
            }
            server.getTransport().getAcceptedChannels().close(); // the reply is written after this
            lost.incrementAndGet();
        }

        /** Another writer's compare-and-set on the value just stored, as {@link Entries} would store it; its version. */
        private long anotherWriter(Object key, long version) {
            org.infinispan.commons.dataconversion.MediaType octets = org.infinispan.commons.dataconversion.MediaType.APPLICATION_OCTET_STREAM;
            org.infinispan.AdvancedCache<Object, Object> raw = cache.withMediaType(octets, octets);
            byte[] k = key instanceof org.infinispan.commons.marshall.WrappedByteArray w ? w.getBytes() : (byte[]) key;
            byte[] stored = (byte[]) raw.get(k);
            byte[] next = WriteMarks.marked(WriteMarks.value(stored), WriteMarks.newMark(), version, WriteMarks.trailer(stored));
            raw.put(k, next, new org.infinispan.metadata.EmbeddedMetadata.Builder()
                    .version(new org.infinispan.container.versioning.NumericVersion(version + 1_000_000)).build());
            return version + 1_000_000;
        }
    }

    @Override
    public void close() {
        storage.close();
        server.stop();
        manager.stop();
    }
}
