package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;

/**
 * GetResourcePolicy: no table or stream of Eddy has a resource-based policy, so an existing table
 * or its current stream gets PolicyNotFoundException; the ARN is checked as DynamoDB checks it
 * first (real-service captures: "ARNs must start with 'arn:'", index ARNs refused, a missing table
 * or stream named).
 */
public final class GetResourcePolicy implements BlockingOperation {
    private final OperationContext context;

    public GetResourcePolicy(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "GetResourcePolicy";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String arn = r.string("ResourceArn");
        if (r.notNull("resourceArn", arn)) {
            r.length("resourceArn", arn, 1, 1283);
        }
        r.check();
        if (!arn.startsWith("arn:")) {
            throw Errors.arnWithoutPrefix(arn);
        }
        ResourceArns.Arn parsed = ResourceArns.parse(context, arn);
        if (parsed == null) {
            throw Errors.invalidResourceArn(arn);
        }
        switch (parsed.kind()) {
            case INDEX -> throw Errors.policyArnNotTableOrStream(arn);
            case OTHER -> throw Errors.notADynamoDbArn(arn);
            default -> { }
        }
        TableDefinition t = context.catalog().findConsistent(parsed.table());
        if (t == null) {
            throw Errors.tableNotFound(parsed.table());
        }
        if (parsed.kind() == ResourceArns.Kind.STREAM && !arn.equals(t.latestStreamArn())) {
            throw Errors.streamOfTableNotFound(arn.substring(arn.lastIndexOf('/') + 1), t.tableName());
        }
        throw Errors.policyNotFound(arn);
    }
}
