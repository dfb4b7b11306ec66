package dev.eddy.core.backup;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Backup ids and ARNs, as DynamoDB forms them: the table's ARN, {@code /backup/}, then the request
 * time in milliseconds (14 digits) and 8 hex digits, e.g. {@code .../table/Music/backup/01576616366715-b4e58d3a}.
 */
public final class BackupArns {
    private static final String BACKUP = "/backup/";

    private BackupArns() {
    }

    public static String newId(long createdMillis) {
        return String.format("%014d-%08x", createdMillis, ThreadLocalRandom.current().nextInt());
    }

    public static String arn(String tableArn, String backupId) {
        return tableArn + BACKUP + backupId;
    }

    /** The backup id an ARN names, or null when it names no backup. */
    public static String idOf(String arn) {
        int at = arn.lastIndexOf(BACKUP);
        if (at < 0 || at + BACKUP.length() >= arn.length()) {
            return null;
        }
        String id = arn.substring(at + BACKUP.length());
        return id.matches("[0-9]{14}-[0-9a-f]{8}") ? id : null;
    }
}
