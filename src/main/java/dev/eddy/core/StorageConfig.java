package dev.eddy.core;

/**
 * How Eddy reaches Infinispan.
 *
 * @param servers            Hot Rod servers, "host:port;host:port"
 * @param tableTemplate      the server-side cache template every table cache is created from
 *                           (distributed, owners, persistence are decided there)
 * @param nearCacheMaxBytes  memory this instance's near caches may hold, all caches together; 0
 *                           turns the near cache off
 * @param pageBytes          the size past which an item collection is split into pages
 * @param scanMirrorMaxBytes memory this instance's copies of tables' partition keys may hold, all
 *                           tables together (see {@code storage.PartitionMirror}); a table whose copy would
 *                           pass it is scanned from its partition directory instead
 * @param security           authentication and TLS of the Hot Rod connections
 * @param localNode          the Infinispan node running in this process, which strongly consistent
 *                           reads ask directly; null when the cluster is elsewhere (see
 *                           {@link dev.eddy.core.storage.LocalNode})
 * @param nearCacheMaxAgeMillis how long after it was read from the servers a near-cache entry is
 *                           dropped: the most an eventually consistent read can lag the servers
 *                           when an invalidation did not do its job (see
 *                           {@link dev.eddy.core.storage.near.ByteBudget}); 0 keeps entries until
 *                           invalidated or evicted
 */
public record StorageConfig(String servers, String tableTemplate, long nearCacheMaxBytes, int pageBytes,
                            long scanMirrorMaxBytes, HotRodSecurity security,
                            dev.eddy.core.storage.LocalNode localNode, long nearCacheMaxAgeMillis) {
    public StorageConfig(String servers, String tableTemplate, long nearCacheMaxBytes, int pageBytes,
                         long scanMirrorMaxBytes, HotRodSecurity security, dev.eddy.core.storage.LocalNode localNode) {
        this(servers, tableTemplate, nearCacheMaxBytes, pageBytes, scanMirrorMaxBytes, security, localNode,
                DEFAULT_NEAR_CACHE_MAX_AGE_MILLIS);
    }

    public StorageConfig(String servers, String tableTemplate, long nearCacheMaxBytes, int pageBytes,
                         long scanMirrorMaxBytes, HotRodSecurity security) {
        this(servers, tableTemplate, nearCacheMaxBytes, pageBytes, scanMirrorMaxBytes, security, null);
    }

    public static final long DEFAULT_NEAR_CACHE_BYTES = 64L * 1024 * 1024;
    /**
     * The bound only matters when an invalidation was missed (rare: a read answered by a backup
     * owner just after the primary's invalidation, the listener's failover window), while every
     * entry pays it: a key read less often than once per age is a miss each time. For YCSB's
     * zipfian reads over 100 000 keys at 5 000 reads a second, the share of reads a key's age lets
     * the near cache answer is about 55 % at 1 s, 68 % at 5 s, 89 % at 60 s (a key of popularity
     * rank i is read 417/i times a second; estimate, not measured). 5 s keeps most of the cache's
     * use and stays within a few seconds of DynamoDB's convergence (about a second); 1 s matches it.
     */
    public static final long DEFAULT_NEAR_CACHE_MAX_AGE_MILLIS = 5_000;

    /** This configuration with near-cache entries dropped {@code millis} after they were read. */
    /**
     * How long after a table's definition changes every writer is sure to act on the change: writers
     * read definitions through their near cache, which the servers' invalidation reaches within
     * milliseconds and which drops an entry at the latest its maximum age after the read; a second more
     * for requests in flight. (With no maximum age, only that second: a lost invalidation then waits
     * for the entry's eviction.)
     */
    public long writersLearnMillis() {
        return nearCacheMaxAgeMillis + 1_000;
    }

    public StorageConfig withNearCacheMaxAge(long millis) {
        return new StorageConfig(servers, tableTemplate, nearCacheMaxBytes, pageBytes, scanMirrorMaxBytes, security,
                localNode, millis);
    }
    public static final long DEFAULT_SCAN_MIRROR_BYTES = 64L * 1024 * 1024;

    public StorageConfig(String servers, String tableTemplate, long nearCacheMaxBytes, int pageBytes,
                         long scanMirrorMaxBytes) {
        this(servers, tableTemplate, nearCacheMaxBytes, pageBytes, scanMirrorMaxBytes, HotRodSecurity.NONE);
    }

    public StorageConfig(String servers, String tableTemplate, long nearCacheMaxBytes, int pageBytes) {
        this(servers, tableTemplate, nearCacheMaxBytes, pageBytes, DEFAULT_SCAN_MIRROR_BYTES);
    }

    public static final String DEFAULT_TEMPLATE = "eddy-table";
    /** Pages of this size keep a write a few tens of microseconds of copying on loopback. */
    public static final int DEFAULT_PAGE_BYTES = 64 * 1024;
}
