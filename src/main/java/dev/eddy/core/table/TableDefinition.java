package dev.eddy.core.table;

import java.util.List;
import java.util.Map;

/**
 * A table as the catalog keeps it in Infinispan. Immutable; changes produce a new definition that
 * replaces the stored one by compare-and-set.
 *
 * @param cacheName     the Infinispan cache holding the table's item collections; unique per
 *                      incarnation, so a table dropped and created again never sees old data
 * @param createdMillis creation time, reported as CreationDateTime
 * @param timeToLiveAttribute the attribute holding items' expiry time when Time to Live is on, else null
 * @param backupPoints  on-demand backups being copied from the table (null or empty: none)
 * @param restore       for a table restored from a backup, where it came from; else null
 * @param sseKmsMasterKeyArn  the master key the table's data key is wrapped under, reported as
 *                            SSEDescription, when CreateTable asked for a KMS key (SSESpecification);
 *                            null for the default key, which DynamoDB does not describe
 */
public record TableDefinition(
        String tableName,
        String tableId,
        String tableArn,
        String cacheName,
        long createdMillis,
        String status,
        List<KeyElement> keySchema,
        List<AttributeDefinition> attributeDefinitions,
        String billingMode,
        Long billingModeUpdatedMillis,
        Throughput throughput,
        List<IndexDefinition> localSecondaryIndexes,
        List<IndexDefinition> globalSecondaryIndexes,
        StreamSpec streamSpec,
        String latestStreamLabel,
        Map<String, String> tags,
        boolean deletionProtection,
        String tableClass,
        String timeToLiveAttribute,
        Integer layout,
        Boolean timeToLiveIndexing,
        List<BackupPoint> backupPoints,
        RestoreSummary restore,
        String sseKmsMasterKeyArn) {

    /** A table that asked for no KMS key (the definition before SSESpecification was kept). */
    public TableDefinition(String tableName, String tableId, String tableArn, String cacheName, long createdMillis,
                           String status, List<KeyElement> keySchema, List<AttributeDefinition> attributeDefinitions,
                           String billingMode, Long billingModeUpdatedMillis, Throughput throughput,
                           List<IndexDefinition> localSecondaryIndexes, List<IndexDefinition> globalSecondaryIndexes,
                           StreamSpec streamSpec, String latestStreamLabel, Map<String, String> tags,
                           boolean deletionProtection, String tableClass, String timeToLiveAttribute, Integer layout,
                           Boolean timeToLiveIndexing) {
        this(tableName, tableId, tableArn, cacheName, createdMillis, status, keySchema, attributeDefinitions, billingMode,
                billingModeUpdatedMillis, throughput, localSecondaryIndexes, globalSecondaryIndexes, streamSpec,
                latestStreamLabel, tags, deletionProtection, tableClass, timeToLiveAttribute, layout, timeToLiveIndexing,
                null, null, null);
    }

    /** The same table, its data key now wrapped under the master key of this ARN. */
    public TableDefinition withSseKmsMasterKeyArn(String arn) {
        return new TableDefinition(tableName, tableId, tableArn, cacheName, createdMillis, status, keySchema,
                attributeDefinitions, billingMode, billingModeUpdatedMillis, throughput, localSecondaryIndexes,
                globalSecondaryIndexes, streamSpec, latestStreamLabel, tags, deletionProtection, tableClass,
                timeToLiveAttribute, layout, timeToLiveIndexing, backupPoints, restore, arn);
    }

    /**
     * The storage layout a table was created with: 2 keeps a partition directory and records
     * every change that has a consumer; tables from before (null) are brought to it once by the
     * maintenance role (see {@code maintenance.LayoutMigration}).
     */
    public static final int CURRENT_LAYOUT = 2;

    /** Whether the items already in the table are still being entered in the expiry index (TTL just enabled). */
    public boolean isTimeToLiveIndexing() {
        return Boolean.TRUE.equals(timeToLiveIndexing);
    }

    public TableDefinition withTimeToLiveIndexed() {
        return new TableDefinition(tableName, tableId, tableArn, cacheName, createdMillis, status, keySchema,
                attributeDefinitions, billingMode, billingModeUpdatedMillis, throughput, localSecondaryIndexes,
                globalSecondaryIndexes, streamSpec, latestStreamLabel, tags, deletionProtection, tableClass,
                timeToLiveAttribute, layout, null, backupPoints, restore, sseKmsMasterKeyArn);
    }

    public boolean hasCurrentLayout() {
        return layout != null && layout >= CURRENT_LAYOUT;
    }

    public TableDefinition withLayout(int newLayout) {
        return new TableDefinition(tableName, tableId, tableArn, cacheName, createdMillis, status, keySchema,
                attributeDefinitions, billingMode, billingModeUpdatedMillis, throughput, localSecondaryIndexes,
                globalSecondaryIndexes, streamSpec, latestStreamLabel, tags, deletionProtection, tableClass,
                timeToLiveAttribute, newLayout, timeToLiveIndexing, backupPoints, restore, sseKmsMasterKeyArn);
    }

    public static final String CREATING = "CREATING";
    public static final String ACTIVE = "ACTIVE";
    public static final String UPDATING = "UPDATING";
    public static final String DELETING = "DELETING";
    public static final String PROVISIONED = "PROVISIONED";
    public static final String PAY_PER_REQUEST = "PAY_PER_REQUEST";

    public String hashKey() {
        return keySchema.get(0).attributeName();
    }

    /** The sort key's name, or null for a table with a simple primary key. */
    public String rangeKey() {
        return keySchema.size() > 1 ? keySchema.get(1).attributeName() : null;
    }

    public String attributeType(String name) {
        for (AttributeDefinition d : attributeDefinitions) {
            if (d.attributeName().equals(name)) {
                return d.attributeType();
            }
        }
        return null;
    }

    public String latestStreamArn() {
        return latestStreamLabel == null ? null : tableArn + "/stream/" + latestStreamLabel;
    }

    public TableDefinition withStatus(String newStatus) {
        return new TableDefinition(tableName, tableId, tableArn, cacheName, createdMillis, newStatus, keySchema,
                attributeDefinitions, billingMode, billingModeUpdatedMillis, throughput, localSecondaryIndexes,
                globalSecondaryIndexes, streamSpec, latestStreamLabel, tags, deletionProtection, tableClass,
                timeToLiveAttribute, layout, timeToLiveIndexing, backupPoints, restore, sseKmsMasterKeyArn);
    }

    public TableDefinition withGlobalSecondaryIndexes(List<IndexDefinition> indexes,
                                                      List<AttributeDefinition> definitions) {
        return new TableDefinition(tableName, tableId, tableArn, cacheName, createdMillis, status, keySchema,
                definitions, billingMode, billingModeUpdatedMillis, throughput, localSecondaryIndexes,
                indexes, streamSpec, latestStreamLabel, tags, deletionProtection, tableClass, timeToLiveAttribute, layout, timeToLiveIndexing, backupPoints, restore, sseKmsMasterKeyArn);
    }

    public TableDefinition withTimeToLive(String attribute) {
        return new TableDefinition(tableName, tableId, tableArn, cacheName, createdMillis, status, keySchema,
                attributeDefinitions, billingMode, billingModeUpdatedMillis, throughput, localSecondaryIndexes,
                globalSecondaryIndexes, streamSpec, latestStreamLabel, tags, deletionProtection, tableClass, attribute, layout,
                attribute != null ? Boolean.TRUE : null, backupPoints, restore, sseKmsMasterKeyArn);
    }

    public TableDefinition withTags(Map<String, String> newTags) {
        return new TableDefinition(tableName, tableId, tableArn, cacheName, createdMillis, status, keySchema,
                attributeDefinitions, billingMode, billingModeUpdatedMillis, throughput, localSecondaryIndexes,
                globalSecondaryIndexes, streamSpec, latestStreamLabel, newTags, deletionProtection, tableClass,
                timeToLiveAttribute, layout, timeToLiveIndexing, backupPoints, restore, sseKmsMasterKeyArn);
    }

    /** The local or global secondary index of that name, or null. */
    public IndexDefinition index(String indexName) {
        for (IndexDefinition i : localSecondaryIndexes) {
            if (i.indexName().equals(indexName)) {
                return i;
            }
        }
        for (IndexDefinition i : globalSecondaryIndexes) {
            if (i.indexName().equals(indexName)) {
                return i;
            }
        }
        return null;
    }

    public boolean isGlobalIndex(IndexDefinition index) {
        return globalSecondaryIndexes.contains(index);
    }

    /** The backups being copied from the table now (never null). */
    public List<BackupPoint> backupsInProgress() {
        return backupPoints == null ? List.of() : backupPoints;
    }

    /** This definition without the named backup's point (itself when it has none). */
    public TableDefinition withoutBackupPoint(String backupId) {
        List<BackupPoint> left = new java.util.ArrayList<>(backupsInProgress());
        return left.removeIf(p -> p.backupId().equals(backupId)) ? withBackupPoints(left) : this;
    }

    public TableDefinition withBackupPoints(List<BackupPoint> points) {
        return new TableDefinition(tableName, tableId, tableArn, cacheName, createdMillis, status, keySchema,
                attributeDefinitions, billingMode, billingModeUpdatedMillis, throughput, localSecondaryIndexes,
                globalSecondaryIndexes, streamSpec, latestStreamLabel, tags, deletionProtection, tableClass,
                timeToLiveAttribute, layout, timeToLiveIndexing, points.isEmpty() ? null : List.copyOf(points), restore,
                sseKmsMasterKeyArn);
    }

    /** Whether the table is being restored from a backup (CREATING until its items are in). */
    public boolean isRestoring() {
        return restore != null && restore.inProgress();
    }

    public TableDefinition withRestore(RestoreSummary newRestore) {
        return new TableDefinition(tableName, tableId, tableArn, cacheName, createdMillis, status, keySchema,
                attributeDefinitions, billingMode, billingModeUpdatedMillis, throughput, localSecondaryIndexes,
                globalSecondaryIndexes, streamSpec, latestStreamLabel, tags, deletionProtection, tableClass,
                timeToLiveAttribute, layout, timeToLiveIndexing, backupPoints, newRestore, sseKmsMasterKeyArn);
    }

    public TableDefinition withSettings(String newBillingMode, Long newBillingUpdated, Throughput newThroughput,
                                        StreamSpec newStream, String newStreamLabel, boolean newDeletionProtection,
                                        String newTableClass) {
        return new TableDefinition(tableName, tableId, tableArn, cacheName, createdMillis, status, keySchema,
                attributeDefinitions, newBillingMode, newBillingUpdated, newThroughput, localSecondaryIndexes,
                globalSecondaryIndexes, newStream, newStreamLabel, tags, newDeletionProtection, newTableClass,
                timeToLiveAttribute, layout, timeToLiveIndexing, backupPoints, restore, sseKmsMasterKeyArn);
    }
}
