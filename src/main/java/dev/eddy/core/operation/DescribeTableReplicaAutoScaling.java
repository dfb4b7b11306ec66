package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;

/**
 * DescribeTableReplicaAutoScaling: only global tables have replicas, and an Eddy table is always a
 * regional one, for which DynamoDB answers that no global table of that name exists.
 */
public final class DescribeTableReplicaAutoScaling implements BlockingOperation {
    private final OperationContext context;

    public DescribeTableReplicaAutoScaling(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "DescribeTableReplicaAutoScaling";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String nameOrArn = FeatureNotInUse.tableNameOrArn(r, "TableName", "tableName", true);
        r.check();
        TableDefinition t = FeatureNotInUse.table(context, nameOrArn);
        throw Errors.notAGlobalTable(t.tableName());
    }
}
