package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.backup.Backup;
import dev.eddy.core.backup.BackupArns;
import dev.eddy.core.backup.BackupDescriptions;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ListBackups: the backups' summaries in the order they were requested, filtered by table (name
 * or ARN), by request time (the lower bound inclusive, the upper exclusive) and by type (USER, the
 * default, and ALL list every backup Eddy has; SYSTEM and AWS_BACKUP none), at most Limit (1 to
 * 100) a page, with LastEvaluatedBackupArn when more follow. Only the backups' metadata is read.
 */
public final class ListBackups implements BlockingOperation {
    private static final int MAX_LIMIT = 100;
    private static final List<String> TYPES = List.of("USER", "SYSTEM", "AWS_BACKUP", "ALL");
    /** Backups in the order they were requested, then by ARN. */
    private static final Comparator<Backup> ORDER =
            Comparator.comparingLong(Backup::createdMillis).thenComparing(Backup::backupArn);

    private final OperationContext context;

    public ListBackups(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "ListBackups";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String table = r.string("TableName");
        if (table != null) {
            r.length("tableName", table, 1, 1024);
        }
        Long limit = r.int32("Limit");
        r.range("limit", limit, 1, MAX_LIMIT);
        Long from = millis(r.node("TimeRangeLowerBound"));
        Long to = millis(r.node("TimeRangeUpperBound"));
        String start = r.string("ExclusiveStartBackupArn");
        if (start != null) {
            r.length("exclusiveStartBackupArn", start, 37, 1024);
        }
        String type = r.oneOf("BackupType", TYPES);
        r.check();
        String tableName = table == null ? null : ResourceArns.tableName(context, table);
        List<Backup> listed = new ArrayList<>();
        if (type == null || "USER".equals(type) || "ALL".equals(type)) {
            for (Backup b : context.backups().all()) {
                if (!Backup.DELETED.equals(b.status()) && (tableName == null || b.source().tableName().equals(tableName))
                        && (from == null || b.createdMillis() >= from) && (to == null || b.createdMillis() < to)) {
                    listed.add(b);
                }
            }
        }
        listed.sort(ORDER);
        int max = limit == null ? MAX_LIMIT : limit.intValue();
        out.writeArrayFieldStart("BackupSummaries");
        int written = 0;
        String last = null;
        boolean more = false;
        for (Backup b : listed) {
            if (start != null && !after(b, start)) {
                continue;
            }
            if (written == max) {
                more = true;
                break;
            }
            BackupDescriptions.writeSummary(out, b);
            last = b.backupArn();
            written++;
        }
        out.writeEndArray();
        if (more) {
            out.writeStringField("LastEvaluatedBackupArn", last);
        }
    }

    /** Whether a backup comes after the one an ARN names (by its request time, which its id begins with). */
    private static boolean after(Backup b, String startArn) {
        String id = BackupArns.idOf(startArn);
        long startMillis = id == null ? Long.MIN_VALUE : Long.parseLong(id.substring(0, 14));
        int c = Long.compare(b.createdMillis(), startMillis);
        return c > 0 || c == 0 && b.backupArn().compareTo(startArn) > 0;
    }

    /** A timestamp member: epoch seconds, as the SDKs send them in JSON. */
    private static Long millis(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (!n.isNumber()) {
            throw Errors.serialization(AttributeValueJson.wrongShape(n, "Date"));
        }
        return n.decimalValue().multiply(BigDecimal.valueOf(1000)).longValue();
    }
}
