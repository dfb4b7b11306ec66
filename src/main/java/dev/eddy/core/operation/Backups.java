package dev.eddy.core.operation;

import dev.eddy.core.api.Request;
import dev.eddy.core.backup.Backup;
import dev.eddy.core.backup.BackupArns;
import dev.eddy.core.error.Errors;

/** Finding the backup a request names by its BackupArn, with the errors DynamoDB gives. */
final class Backups {
    private Backups() {
    }

    /** BackupArn: required, 37 to 1024 characters. */
    static String arnOf(Request r, String member, String path) {
        String arn = r.string(member);
        if (r.notNull(path, arn)) {
            r.length(path, arn, 37, 1024);
        }
        return arn;
    }

    /** The backup an ARN names; BackupNotFoundException when none does (deleted ones included). */
    static Backup find(OperationContext context, String arn) {
        String id = BackupArns.idOf(arn);
        Backup b = id == null ? null : context.backups().find(id);
        if (b == null || !b.backupArn().equals(arn) || Backup.DELETED.equals(b.status())) {
            throw Errors.backupNotFound(arn);
        }
        return b;
    }
}
