package dev.eddy.core.storage;

/**
 * How Eddy reaches Infinispan.
 *
 * @param servers             Hot Rod servers, "host:port;host:port"
 * @param tableTemplate       the server-side cache template every table cache is created from
 *                            (distributed, owners, persistence are decided there)
 * @param nearCacheMaxEntries item collections kept in each instance's near cache; 0 turns it off
 */
public record StorageConfig(String servers, String tableTemplate, int nearCacheMaxEntries) {
    public static final String DEFAULT_TEMPLATE = "eddy-table";
}
