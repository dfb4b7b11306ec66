package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import java.io.IOException;

/**
 * DescribeGlobalTable (global tables version 2017.11.29): Eddy has no global tables, and DynamoDB
 * answers a regional table's name as it answers a name it does not know.
 */
public final class DescribeGlobalTable implements BlockingOperation {
    public DescribeGlobalTable(OperationContext context) {
    }

    @Override
    public String name() {
        return "DescribeGlobalTable";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String name = r.string("GlobalTableName");
        r.name("globalTableName", name, true);
        r.check();
        throw Errors.globalTableNotFound(name);
    }
}
