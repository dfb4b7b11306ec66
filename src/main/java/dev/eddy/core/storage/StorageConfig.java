package dev.eddy.core.storage;

/**
 * How Eddy reaches Infinispan.
 *
 * @param servers             Hot Rod servers, "host:port;host:port"
 * @param tableTemplate       the server-side cache template every table cache is created from
 *                            (distributed, owners, persistence are decided there)
 * @param nearCacheMaxEntries item collections kept in each instance's near cache; 0 turns it off
 * @param pageBytes           the size past which an item collection is split into pages
 * @param scanMirrorMaxRoots  partition keys per table this instance copies for eventually consistent
 *                            Scans (see {@link PartitionMirror}); a bigger table, or 0, lists keys instead
 * @param security            authentication and TLS of the Hot Rod connections
 */
public record StorageConfig(String servers, String tableTemplate, int nearCacheMaxEntries, int pageBytes,
                            int scanMirrorMaxRoots, HotRodSecurity security) {
    public StorageConfig(String servers, String tableTemplate, int nearCacheMaxEntries, int pageBytes,
                         int scanMirrorMaxRoots) {
        this(servers, tableTemplate, nearCacheMaxEntries, pageBytes, scanMirrorMaxRoots, HotRodSecurity.NONE);
    }

    /** About 100 bytes of heap per partition key: 1 000 000 keys is about 100 MB at most per table. */
    public static final int DEFAULT_SCAN_MIRROR_MAX_ROOTS = 1_000_000;

    public StorageConfig(String servers, String tableTemplate, int nearCacheMaxEntries, int pageBytes) {
        this(servers, tableTemplate, nearCacheMaxEntries, pageBytes, DEFAULT_SCAN_MIRROR_MAX_ROOTS);
    }

    public static final String DEFAULT_TEMPLATE = "eddy-table";
    /** Pages of this size keep a write a few tens of microseconds of copying on loopback. */
    public static final int DEFAULT_PAGE_BYTES = 64 * 1024;
}
