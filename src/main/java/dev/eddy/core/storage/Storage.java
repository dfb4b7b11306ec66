package dev.eddy.core.storage;

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

    public Storage(StorageConfig config) {
        this.config = config;
        this.strong = new RemoteCacheManager(builder(config, false).build());
        this.near = config.nearCacheMaxEntries() > 0 ? new RemoteCacheManager(builder(config, true).build()) : strong;
    }

    private static ConfigurationBuilder builder(StorageConfig config, boolean nearCache) {
        ConfigurationBuilder b = new ConfigurationBuilder();
        b.addServers(config.servers());
        b.marshaller(new OctetStreamMarshaller());
        b.connectionTimeout(5_000).socketTimeout(30_000).maxRetries(10);
        secure(b, config.security());
        if (nearCache) {
            b.statistics().enable(); // near-cache hits and misses, for metrics and tests
            b.remoteCache(PREFIX + "*")
                    .nearCacheMode(NearCacheMode.INVALIDATED)
                    .nearCacheMaxEntries(config.nearCacheMaxEntries());
        }
        return b;
    }

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

    /** The cache for consistent reads and compare-and-set writes. */
    public Entries strong(String cacheName) {
        if (NonBlocking.active()) {
            return opened(strongEntries, cacheName);
        }
        return strongEntries.computeIfAbsent(cacheName, name -> open(strong, name, false));
    }

    /** The near-cached view for eventually consistent reads. */
    public Entries eventual(String cacheName) {
        if (NonBlocking.active()) {
            return opened(near == strong ? strongEntries : nearEntries, cacheName);
        }
        return near == strong ? strong(cacheName) : nearEntries.computeIfAbsent(cacheName, name -> open(near, name, true));
    }

    /** Client statistics (near-cache hits and misses) of the near-cached caches opened so far, for metrics. */
    public java.util.Collection<org.infinispan.client.hotrod.jmx.RemoteCacheClientStatisticsMXBean> nearCacheStatistics() {
        return near == strong ? java.util.List.of()
                : nearEntries.values().stream().map(Entries::clientStatistics).toList();
    }

    /** A cache already opened (opening one asks the servers). */
    private static Entries opened(Map<String, Entries> open, String cacheName) {
        Entries e = open.get(cacheName);
        if (e == null) {
            throw NonBlocking.wouldBlock();
        }
        return e;
    }

    private static Entries open(RemoteCacheManager manager, String cacheName, boolean nearCached) {
        RemoteCache<WrappedByteArray, WrappedByteArray> cache = manager.getCache(cacheName);
        if (cache == null) {
            throw new MissingCacheException(cacheName);
        }
        return new Entries(cache, nearCached);
    }

    /** Creates (or finds) a cache from the configured template; idempotent across instances. */
    public void createCache(String cacheName) {
        strong.administration().getOrCreateCache(cacheName, config.tableTemplate());
    }

    public void removeCache(String cacheName) {
        Entries gone = strongEntries.remove(cacheName);
        if (gone != null) {
            gone.close();
        }
        nearEntries.remove(cacheName);
        strong.administration().removeCache(cacheName);
    }

    public boolean cacheExists(String cacheName) {
        return strong.getCacheNames().contains(cacheName);
    }

    @Override
    public void close() {
        if (near != strong) {
            near.stop();
        }
        strong.stop();
    }

    /** A cache the catalog names is gone: the table is being deleted or was never finished. */
    public static final class MissingCacheException extends RuntimeException {
        public MissingCacheException(String cacheName) {
            super("cache " + cacheName + " does not exist", null, false, false);
        }
    }

    static void pause(int attempt) {
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
