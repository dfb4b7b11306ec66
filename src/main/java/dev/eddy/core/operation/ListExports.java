package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import java.io.IOException;

/** ListExports: Eddy does not export tables to S3, so there are none to list. */
public final class ListExports implements BlockingOperation {
    private final OperationContext context;

    public ListExports(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "ListExports";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String arn = FeatureNotInUse.tableNameOrArn(r, "TableArn", "tableArn", false);
        r.range("maxResults", r.int32("MaxResults"), 1, 25);
        r.string("NextToken");
        r.check();
        if (arn != null) {
            ResourceArns.tableOf(context, arn);
        }
        out.writeArrayFieldStart("ExportSummaries");
        out.writeEndArray();
    }
}
