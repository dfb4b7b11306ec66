package dev.eddy.core.backup;

import dev.eddy.core.table.TableDefinition;
import java.util.List;

/**
 * An on-demand backup as its metadata keeps it (ListBackups and DescribeBackup read this, never the
 * backup's data). Immutable; changes replace the stored record by compare-and-set.
 *
 * @param pointMicros     the moment the backup holds the table as of, on the scale of page sequence
 *                        numbers (microseconds): a little after the request, once every writer knows
 * @param cacheName       the cache holding the backup's data (see {@link BackupData})
 * @param source          the table's definition when the backup was requested: its settings
 * @param chunks          how many run chunks the copy wrote (see {@link BackupData}); null while CREATING
 * @param itemCount       items in the backup, counted once the copy is complete; null before
 * @param sizeBytes       their size as DynamoDB counts item sizes; null before
 * @param restoringTables tables being restored from the backup now (it cannot be deleted meanwhile)
 */
public record Backup(String backupId, String backupArn, String backupName, String status, long createdMillis,
                     long pointMicros, String cacheName, TableDefinition source, Long chunks, Long itemCount,
                     Long sizeBytes, List<String> restoringTables) {
    public static final String CREATING = "CREATING";
    public static final String AVAILABLE = "AVAILABLE";
    public static final String DELETED = "DELETED";
    /** Every backup Eddy makes is one a user asked for. */
    public static final String USER = "USER";

    /** The cache a backup's data lives in (see {@link BackupData}). */
    public static String cacheNameOf(String backupId) {
        return dev.eddy.core.storage.Storage.PREFIX + "backup." + backupId;
    }

    public boolean isCreating() {
        return CREATING.equals(status);
    }

    public List<String> restoring() {
        return restoringTables == null ? List.of() : restoringTables;
    }

    public Backup completed(long chunkCount, long items, long bytes) {
        return new Backup(backupId, backupArn, backupName, AVAILABLE, createdMillis, pointMicros, cacheName, source,
                chunkCount, items, bytes, restoringTables);
    }

    public Backup withPoint(long newPointMicros) {
        return new Backup(backupId, backupArn, backupName, status, createdMillis, newPointMicros, cacheName, source,
                chunks, itemCount, sizeBytes, restoringTables);
    }

    public Backup withStatus(String newStatus) {
        return new Backup(backupId, backupArn, backupName, newStatus, createdMillis, pointMicros, cacheName, source,
                chunks, itemCount, sizeBytes, restoringTables);
    }

    public Backup withRestoring(List<String> tables) {
        return new Backup(backupId, backupArn, backupName, status, createdMillis, pointMicros, cacheName, source,
                chunks, itemCount, sizeBytes, tables.isEmpty() ? null : List.copyOf(tables));
    }
}
