package dev.eddy.core.table;

/**
 * Where a table restored from a backup came from: DescribeTable's RestoreSummary. While
 * {@code inProgress} the table stays CREATING and its items are being loaded (see
 * {@code backup.TableRestore}).
 */
public record RestoreSummary(String sourceBackupArn, String sourceTableArn, long restoreMillis, boolean inProgress) {
    public RestoreSummary finished() {
        return new RestoreSummary(sourceBackupArn, sourceTableArn, restoreMillis, false);
    }
}
