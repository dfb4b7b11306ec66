package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import java.io.IOException;

/**
 * UpdateContinuousBackups: Eddy keeps no continuous backups, so turning point-in-time recovery off
 * succeeds and describes it DISABLED, and turning it on is refused with the error DynamoDB gives a
 * table whose continuous backups are not available, ContinuousBackupsUnavailableException.
 */
public final class UpdateContinuousBackups implements BlockingOperation {
    private final OperationContext context;

    public UpdateContinuousBackups(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "UpdateContinuousBackups";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String nameOrArn = DescribeContinuousBackups.tableOf(context, r);
        JsonNode spec = r.object("PointInTimeRecoverySpecification");
        Boolean enabled = null;
        if (r.notNull("pointInTimeRecoverySpecification", spec)) {
            enabled = Request.bool(spec, "PointInTimeRecoveryEnabled");
            r.notNull("pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled", enabled);
            r.range("pointInTimeRecoverySpecification.recoveryPeriodInDays",
                    Request.integer(spec, "RecoveryPeriodInDays"), 1, 35);
        }
        r.check();
        String table = DescribeContinuousBackups.requireTable(context, nameOrArn);
        if (enabled) {
            throw Errors.continuousBackupsUnavailable();
        }
        DescribeContinuousBackups.write(out, table);
    }
}
