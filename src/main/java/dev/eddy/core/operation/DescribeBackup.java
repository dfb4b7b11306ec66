package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.backup.Backup;
import dev.eddy.core.backup.BackupDescriptions;
import java.io.IOException;

/** DescribeBackup: a backup's details, its source table, and the table's indexes, stream and Time to Live. */
public final class DescribeBackup implements BlockingOperation {
    private final OperationContext context;

    public DescribeBackup(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "DescribeBackup";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String arn = Backups.arnOf(r, "BackupArn", "backupArn");
        r.check();
        Backup b = Backups.find(context, arn);
        out.writeFieldName("BackupDescription");
        BackupDescriptions.writeDescription(out, b, b.status());
    }
}
