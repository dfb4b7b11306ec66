package dev.eddy.core.table;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A local or global secondary index as defined on the table.
 *
 * @param status      a global index's IndexStatus (CREATING, ACTIVE, DELETING); null for a local one
 * @param indexId     a global index's storage id, new for every index created, so an index dropped
 *                    and added again under its name never sees the old entries
 * @param backfilling a global index added to a table with items, while they are being copied in
 */
public record IndexDefinition(String indexName, List<KeyElement> keySchema, Projection projection,
                              Throughput throughput, String status, String indexId, Boolean backfilling) {
    public static final String KEYS_ONLY = "KEYS_ONLY";
    public static final String INCLUDE = "INCLUDE";
    public static final String ALL = "ALL";

    public static IndexDefinition local(String indexName, List<KeyElement> keySchema, Projection projection) {
        return new IndexDefinition(indexName, keySchema, projection, null, null, null, null);
    }

    public static IndexDefinition global(String indexName, List<KeyElement> keySchema, Projection projection,
                                         Throughput throughput, String status) {
        return new IndexDefinition(indexName, keySchema, projection, throughput, status, newId(), null);
    }

    private static String newId() {
        byte[] id = new byte[8];
        ThreadLocalRandom.current().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    public String hashKey() {
        return keySchema.get(0).attributeName();
    }

    public String rangeKey() {
        return keySchema.size() > 1 ? keySchema.get(1).attributeName() : null;
    }

    /** The storage id (definitions stored before ids existed fall back to one derived from the name). */
    public String storageId() {
        return indexId != null ? indexId
                : HexFormat.of().formatHex(indexName.getBytes(StandardCharsets.UTF_8));
    }

    public boolean projectsAll() {
        return ALL.equals(projection.projectionType());
    }

    public boolean isBackfilling() {
        return Boolean.TRUE.equals(backfilling);
    }

    public IndexDefinition withStatus(String newStatus, boolean newBackfilling) {
        return new IndexDefinition(indexName, keySchema, projection, throughput, newStatus, indexId,
                newBackfilling ? Boolean.TRUE : null);
    }

    public IndexDefinition withThroughput(Throughput newThroughput) {
        return new IndexDefinition(indexName, keySchema, projection, newThroughput, status, indexId, backfilling);
    }
}
