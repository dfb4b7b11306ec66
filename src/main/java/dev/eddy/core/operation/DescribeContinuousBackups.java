package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import java.io.IOException;

/**
 * DescribeContinuousBackups: what Eddy does, which is to keep no continuous backups, so both
 * continuous backups and point-in-time recovery are DISABLED for every table.
 */
public final class DescribeContinuousBackups implements BlockingOperation {
    private final OperationContext context;

    public DescribeContinuousBackups(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "DescribeContinuousBackups";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String table = tableOf(context, r);
        r.check();
        write(out, requireTable(context, table));
    }

    /** TableName, which may be the table's ARN (1 to 1024 characters). */
    static String tableOf(OperationContext context, Request r) {
        String name = r.string("TableName");
        if (r.notNull("tableName", name)) {
            r.length("tableName", name, 1, 1024);
        }
        return name;
    }

    static String requireTable(OperationContext context, String nameOrArn) {
        String name = ResourceArns.tableName(context, nameOrArn);
        if (context.catalog().findConsistent(name) == null) {
            throw Errors.tableNotFoundForBackups(name);
        }
        return name;
    }

    static void write(JsonGenerator out, String table) throws IOException {
        out.writeObjectFieldStart("ContinuousBackupsDescription");
        out.writeStringField("ContinuousBackupsStatus", "DISABLED");
        out.writeObjectFieldStart("PointInTimeRecoveryDescription");
        out.writeStringField("PointInTimeRecoveryStatus", "DISABLED");
        out.writeEndObject();
        out.writeEndObject();
    }
}
