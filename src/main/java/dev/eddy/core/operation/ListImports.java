package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import java.io.IOException;

/** ListImports: Eddy does not import tables from S3, so there are none to list. */
public final class ListImports implements BlockingOperation {
    private final OperationContext context;

    public ListImports(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "ListImports";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String arn = FeatureNotInUse.tableNameOrArn(r, "TableArn", "tableArn", false);
        r.range("pageSize", r.int32("PageSize"), 1, 25);
        r.string("NextToken");
        r.check();
        if (arn != null) {
            ResourceArns.tableOf(context, arn);
        }
        out.writeArrayFieldStart("ImportSummaryList");
        out.writeEndArray();
    }
}
