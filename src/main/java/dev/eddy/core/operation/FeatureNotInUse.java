package dev.eddy.core.operation;

import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.table.TableDefinition;

/**
 * What the operations of features Eddy does not have share (contributor insights, Kinesis streaming
 * destinations, global tables, exports, imports, resource policies): they answer as DynamoDB answers
 * for a table that does not use the feature, after the same checks of the request and the table.
 */
final class FeatureNotInUse {
    private FeatureNotInUse() {
    }

    /** A TableName member that may also be the table's ARN (1 to 1024 characters); null when absent. */
    static String tableNameOrArn(Request r, String member, String path, boolean required) {
        String value = r.string(member);
        if (value == null) {
            if (required) {
                r.notNull(path, null);
            }
            return null;
        }
        r.length(path, value, 1, 1024);
        return value;
    }

    /** The named table, or DynamoDB's "Table: ... not found". */
    static TableDefinition table(OperationContext context, String nameOrArn) {
        String name = ResourceArns.tableName(context, nameOrArn);
        TableDefinition t = context.catalog().findConsistent(name);
        if (t == null) {
            throw Errors.tableNotFound(name);
        }
        return t;
    }
}
