package dev.eddy.core.table;

/**
 * An on-demand backup being copied from the table: the table as of {@code pointMicros} (on the
 * scale of page sequence numbers) is what the backup holds. While the table's definition names it,
 * a writer about to replace a page last written at or before the point keeps the page's state for
 * the backup first (see {@code backup.PageCapture}).
 *
 * @param backupId  the backup's id (the last part of its ARN)
 * @param cacheName the cache the backup's data goes to
 */
public record BackupPoint(String backupId, long pointMicros, String cacheName) {
}
