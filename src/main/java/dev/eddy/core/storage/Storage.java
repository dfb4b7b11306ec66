package dev.eddy.core.storage;

import dev.eddy.core.HotRodSecurity;
import dev.eddy.core.StorageConfig;
import dev.eddy.core.storage.transport.DeferredConnects;
import dev.eddy.core.storage.transport.WedgedChannels;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.infinispan.client.hotrod.RemoteCache;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.configuration.ConfigurationBuilder;
import org.infinispan.client.hotrod.configuration.NearCacheMode;
import org.infinispan.commons.marshall.WrappedByteArray;

/**
 * The Hot Rod connections. Two client instances: the Hot Rod near cache also answers
 * {@code getWithMetadata}, so strongly consistent reads and compare-and-set writes go through a
 * client without one, and only eventually consistent reads use the near-cached client (whose
 * entries the servers invalidate on every change). Keys and values are raw bytes: Eddy encodes
 * them itself.
 */
public final class Storage implements AutoCloseable {
    /** Every Eddy cache name starts with this; the near cache applies to these names. */
    public static final String PREFIX = "eddy.";

    private final StorageConfig config;
    private final RemoteCacheManager strong;
    private final RemoteCacheManager near;
    private final Map<String, Entries> strongEntries = new ConcurrentHashMap<>();
    private final Map<String, Entries> nearEntries = new ConcurrentHashMap<>();
    /** Per cache: requests that went to a server (reads, writes, entries iterated), near-cache hits not counted. */
    private final Map<String, java.util.concurrent.atomic.LongAdder> serverRequests = new ConcurrentHashMap<>();

    /** Strongly consistent reads answered by the node in this process (see {@link LocalNode}). */
    private final java.util.concurrent.atomic.LongAdder localReads = new java.util.concurrent.atomic.LongAdder();
    private final LocalNode local;
    /** Both clients' event loops; a workaround for Infinispan issue 18003, see {@link DeferredConnects}. */
    private final DeferredConnects transport = new DeferredConnects();

    public Storage(StorageConfig config) {
        this.config = config;
        this.local = config.localNode() == null ? null : counted(config.localNode(), localReads);
        WedgedChannels.WatchedClient strongClient = new WedgedChannels.WatchedClient(builder(config, false, transport).build());
        this.strong = strongClient;
        // With the node in this process, an eventually consistent read asks it too, as a strong read does:
        // its own lookup costs half the CPU of a near-cache read whose misses cross Hot Rod on loopback to
        // that same node, and has a fifth of its p99 (README, "Near-cache age"); so no near cache then.
        WedgedChannels.WatchedClient nearClient = config.nearCacheMaxBytes() > 0 && local == null
                ? new WedgedChannels.WatchedClient(builder(config, true, transport).build()) : null;
        this.near = nearClient != null ? nearClient : strong;
        this.wedged = new WedgedChannels(nearClient != null ? List.of(strongClient, nearClient) : List.of(strongClient),
                reopenedConnections);
    }

    /** Connections of the Hot Rod clients found wedged and opened again (see {@link WedgedChannels}). */
    private final java.util.concurrent.atomic.LongAdder reopenedConnections = new java.util.concurrent.atomic.LongAdder();
    private final WedgedChannels wedged;

    /** How many of the Hot Rod clients' connections were found wedged and opened again since the start. */
    public long reopenedConnections() {
        return reopenedConnections.sum();
    }

    /** The clients' connection watch (tests look at the clients it watches). */
    WedgedChannels wedgedChannels() {
        return wedged;
    }

    private static ConfigurationBuilder builder(StorageConfig config, boolean nearCache, DeferredConnects transport) {
        ConfigurationBuilder b = new ConfigurationBuilder();
        b.addServers(config.servers());
        // Until the client is 16.3+ (Infinispan issue 18003 fixed), connections opened on a topology
        // update must not fail inline: see DeferredConnects.
        b.transportFactory(transport);
        dev.eddy.core.storage.near.ByteBudget budget = nearCache
                ? new dev.eddy.core.storage.near.ByteBudget(config.nearCacheMaxBytes(), config.nearCacheMaxAgeMillis()) : null;
        b.marshaller(new OctetStreamMarshaller(budget));
        b.connectionTimeout(5_000).socketTimeout(30_000).maxRetries(10);
        secure(b, config.security());
        if (nearCache) {
            b.statistics().enable(); // near-cache hits and misses, for metrics and tests
            b.remoteCache(PREFIX + "*")
                    .nearCacheMode(NearCacheMode.INVALIDATED)
                    .nearCacheMaxEntries(Integer.MAX_VALUE) // bounded by bytes, below, not by entries
                    .nearCacheFactory(budget);
        }
        return b;
    }

    /** Bytes the partition copies of all tables hold now (see {@link PartitionMirror}). */
    final java.util.concurrent.atomic.AtomicLong mirrorBytes = new java.util.concurrent.atomic.AtomicLong();

    private static void secure(ConfigurationBuilder b, HotRodSecurity security) {
        if (security == null) {
            return;
        }
        if (security.authenticates()) {
            b.security().authentication().enable().username(security.username())
                    .password(security.password() == null ? "" : security.password())
                    .saslMechanism(security.saslMechanism()).realm(security.realm());
        }
        if (security.tls()) {
            var ssl = b.security().ssl().enable();
            if (security.trustStore() != null) {
                ssl.trustStoreFileName(security.trustStore());
            }
            if (security.trustStorePassword() != null) {
                ssl.trustStorePassword(security.trustStorePassword().toCharArray());
            }
            if (security.trustStoreType() != null) {
                ssl.trustStoreType(security.trustStoreType());
            }
            if (security.sniHostName() != null) {
                ssl.sniHostName(security.sniHostName());
            }
        }
    }

    public StorageConfig config() {
        return config;
    }

    /**
     * Whether a client of its own, made for this call and closed after it, reads an entry of
     * {@code cacheName} within {@code timeoutMillis}: the cluster answers. Tells this process's clients,
     * when they answer nothing, stuck (a restart helps) from a cluster that is away (it does not).
     */
    public boolean reachableAfresh(String cacheName, int timeoutMillis) {
        ConfigurationBuilder b = new ConfigurationBuilder();
        b.addServers(config.servers());
        b.marshaller(new OctetStreamMarshaller(null));
        b.connectionTimeout(timeoutMillis).socketTimeout(timeoutMillis).maxRetries(1);
        secure(b, config.security());
        RemoteCacheManager fresh = null;
        try {
            fresh = new RemoteCacheManager(b.build());
            fresh.<byte[], byte[]>getCache(cacheName).getAsync(new byte[] {0})
                    .get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception unreachable) {
            if (unreachable instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        } finally {
            if (fresh != null) {
                stopQuietly(fresh);
            }
        }
    }

    /** The event loops of this process's Hot Rod clients (for diagnostics, and tests that stall them). */
    public java.util.List<io.netty.channel.EventLoopGroup> clientEventLoops() {
        return transport.eventLoops();
    }

    /** Which seal each cache's values get (see {@link EntrySeal}); none unless set before the cache is first opened. */
    private volatile java.util.function.Function<String, EntrySeal> seals = name -> EntrySeal.NONE;

    /** Sets the seal of every cache opened from now on, by cache name. */
    public void sealWith(java.util.function.Function<String, EntrySeal> sealOfCache) {
        this.seals = sealOfCache;
    }

    /**
     * Whether a table's or backup's cache that answered "not ready" is on its way out (DeleteTable,
     * DeleteBackup) rather than stopping with its node (a rolling restart, a cluster starting again):
     * only the catalog knows. Until one is set every such cache counts as removed.
     */
    private volatile java.util.function.Predicate<String> removing = name -> true;
    private volatile java.util.concurrent.Executor removalChecks = Runnable::run;

    /**
     * Sets what tells a cache being removed from one stopping with its node (it may wait on the
     * servers), and where requests that must not wait have it asked.
     */
    public void removalsKnownBy(java.util.function.Predicate<String> check, java.util.concurrent.Executor where) {
        this.removing = check;
        this.removalChecks = where;
    }

    /** Whether a cache that answered "not ready" is being removed; an answer that cannot be had is "no" (unavailable). */
    boolean beingRemoved(String cacheName) {
        try {
            return removing.test(cacheName);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@link #beingRemoved}, asked where waiting is allowed. */
    java.util.concurrent.CompletableFuture<Boolean> beingRemovedAsync(String cacheName) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> beingRemoved(cacheName), removalChecks);
    }

    /** The cache for consistent reads and compare-and-set writes. */
    public Entries strong(String cacheName) {
        return strongEntries.computeIfAbsent(cacheName, name -> open(strong, name, false));
    }

    /** The near-cached view for eventually consistent reads. */
    public Entries eventual(String cacheName) {
        return near == strong ? strong(cacheName) : nearEntries.computeIfAbsent(cacheName, name -> open(near, name, true));
    }

    /** Client statistics (near-cache hits and misses) of the near-cached caches opened so far, for metrics. */
    public java.util.Collection<org.infinispan.client.hotrod.jmx.RemoteCacheClientStatisticsMXBean> nearCacheStatistics() {
        return near == strong ? java.util.List.of()
                : nearEntries.values().stream().map(Entries::clientStatistics).toList();
    }

    /** The near-cached view of a cache, if this process has opened it already (else null: see {@link #opened}). */
    public Entries openedEventual(String cacheName) {
        return opened(cacheName, false);
    }

    /**
     * A cache this process has opened already, or null: opening one asks the servers, which a thread
     * that must not wait leaves to one that may.
     */
    Entries opened(String cacheName, boolean consistent) {
        return consistent || near == strong ? strongEntries.get(cacheName) : nearEntries.get(cacheName);
    }

    private Entries open(RemoteCacheManager manager, String cacheName, boolean nearCached) {
        RemoteCache<WrappedByteArray, WrappedByteArray> cache = manager.getCache(cacheName);
        if (cache == null) {
            throw new MissingCacheException(cacheName);
        }
        RemoteCache<WrappedByteArray, WrappedByteArray> owners = nearCached ? strong.getCache(cacheName) : cache;
        return new Entries(cache, owners == null ? cache : owners, nearCached, serverRequests.computeIfAbsent(cacheName,
                n -> new java.util.concurrent.atomic.LongAdder()), seals.apply(cacheName), local, this);
    }

    private static LocalNode counted(LocalNode node, java.util.concurrent.atomic.LongAdder reads) {
        return new LocalNode() {
            @Override
            public Stored read(String cache, byte[] key) {
                reads.increment();
                return node.read(cache, key);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Stored> readAsync(String cache, byte[] key) {
                reads.increment();
                return node.readAsync(cache, key);
            }
        };
    }

    /** Strongly consistent reads the node in this process answered since the start (0 with no such node). */
    public long localReads() {
        return localReads.sum();
    }

    /**
     * Requests this process sent to the servers for a cache since it started: every read, write and
     * iterated entry, but not the reads the near cache answered (those the node in this process
     * answers count: they are the store's work all the same). What upkeep costs is measured by it.
     */
    public long serverRequests() {
        long n = 0;
        for (java.util.concurrent.atomic.LongAdder a : serverRequests.values()) {
            n += a.sum();
        }
        return n;
    }

    /** As {@link #serverRequests()}, per cache (caches never asked for are absent). */
    public Map<String, Long> serverRequestsByCache() {
        Map<String, Long> out = new java.util.TreeMap<>();
        serverRequests.forEach((cache, n) -> out.put(cache, n.sum()));
        return out;
    }

    /** As {@link #serverRequests()}, for one cache. */
    public long serverRequests(String cacheName) {
        java.util.concurrent.atomic.LongAdder n = serverRequests.get(cacheName);
        return n == null ? 0 : n.sum();
    }

    /** Creates (or finds) a cache from the configured template; idempotent across instances. */
    public void createCache(String cacheName) {
        strong.administration().getOrCreateCache(cacheName, config.tableTemplate());
    }

    /**
     * Removes a cache (a deleted table's). The servers tell each near-cache listener of a removed
     * cache so in a message its client cannot place, and the client closes that connection with the
     * requests in flight on it (reads and writes are retried by the client on another, and then find
     * the cache gone: {@link MissingCacheException}). A removal is one such request, and two removals
     * of one cache at once upset the servers the same way: this process removes a cache once at a
     * time, and a removal that failed but left the cache gone has done its job.
     */
    public void removeCache(String cacheName) {
        Object lock = removals.computeIfAbsent(cacheName, n -> new Object());
        try {
            synchronized (lock) {
                Entries gone = strongEntries.remove(cacheName);
                if (gone != null) {
                    gone.close();
                }
                Entries nearGone = nearEntries.remove(cacheName);
                if (nearGone != null) {
                    try {
                        // while the cache still exists: the servers refuse a late unregistration, and the
                        // client's stop then ends early and leaves its connections retrying (see Entries)
                        nearGone.stopNearCache();
                    } catch (RuntimeException e) {
                        org.jboss.logging.Logger.getLogger(Storage.class).debugf(e, "Unregistering the near cache of %s", cacheName);
                    }
                }
                for (int attempt = 0; ; attempt++) {
                    try {
                        strong.administration().removeCache(cacheName);
                        return;
                    } catch (RuntimeException e) {
                        if (!cacheExistsAfterFailure(cacheName)) {
                            return;
                        }
                        if (attempt >= 5) {
                            throw e;
                        }
                        pause(attempt + 8);
                    }
                }
            }
        } finally {
            removals.remove(cacheName, lock);
        }
    }

    private final Map<String, Object> removals = new ConcurrentHashMap<>();

    private boolean cacheExistsAfterFailure(String cacheName) {
        try {
            return cacheExists(cacheName);
        } catch (RuntimeException e) {
            return true; // cannot tell: try the removal again
        }
    }

    public boolean cacheExists(String cacheName) {
        return strong.getCacheNames().contains(cacheName);
    }

    /**
     * Closes the connections. Stopping a client unregisters its near caches' listeners, which for a
     * cache removed meanwhile (a deleted table's) the servers answer with an error: that is no
     * failure of the stop, and is not reported as one.
     */
    @Override
    public void close() {
        wedged.close();
        if (near != strong) {
            stopQuietly(near);
        }
        stopQuietly(strong);
        transport.close(); // a client given its own transport leaves the event loops running
    }

    private static void stopQuietly(RemoteCacheManager manager) {
        try {
            manager.stop();
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(Storage.class).debugf(e, "Stopping a Hot Rod client");
        }
    }

    /** A cache the catalog names is gone: the table is being deleted or was never finished. */
    public static final class MissingCacheException extends RuntimeException {
        public MissingCacheException(String cacheName) {
            super("cache " + cacheName + " does not exist", null, false, false);
        }
    }

    /** A pause between attempts at a compare-and-set that failed: growing with the attempt, to 5 ms, jittered. */
    public static void pause(int attempt) {
        long micros = Math.min(5_000, 20L << Math.min(attempt, 8));
        long jitter = (long) (Math.random() * micros);
        try {
            TimeUnit.MICROSECONDS.sleep(micros / 2 + jitter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a write", e);
        }
    }
}
