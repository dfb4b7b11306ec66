package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.backup.Backup;
import dev.eddy.core.backup.BackupDescriptions;
import dev.eddy.core.error.Errors;
import dev.eddy.core.maintenance.MaintenanceDuties;
import java.io.IOException;

/**
 * DeleteBackup: refused (BackupInUseException) while the backup is being created or a table is
 * being restored from it; otherwise the record goes at once, and its data with the cache a few
 * seconds later (as a deleted table's: {@code TableLifecycle}). The response describes it DELETED.
 */
public final class DeleteBackup implements BlockingOperation {
    private final OperationContext context;

    public DeleteBackup(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "DeleteBackup";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String arn = Backups.arnOf(r, "BackupArn", "backupArn");
        r.check();
        Backup found = Backups.find(context, arn);
        Backup deleted = context.backups().update(found.backupId(), b -> {
            if (Backup.DELETED.equals(b.status())) {
                throw Errors.backupNotFound(arn);
            }
            if (b.isCreating()) {
                throw Errors.backupBeingCreated(arn);
            }
            if (!b.restoring().isEmpty()) {
                throw Errors.backupBeingRestored(arn);
            }
            return b.withStatus(Backup.DELETED);
        });
        if (deleted == null) {
            throw Errors.backupNotFound(arn);
        }
        context.later(System.currentTimeMillis() + TableLifecycle.CACHE_REMOVAL_DELAY_MILLIS, MaintenanceDuties.REMOVE_CACHE,
                deleted.cacheName());
        context.backups().remove(deleted.backupId());
        out.writeFieldName("BackupDescription");
        BackupDescriptions.writeDescription(out, deleted, Backup.DELETED);
    }
}
