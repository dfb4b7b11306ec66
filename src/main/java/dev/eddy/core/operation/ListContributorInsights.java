package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import java.io.IOException;

/** ListContributorInsights: no table or index has Contributor Insights enabled, so the list is empty. */
public final class ListContributorInsights implements BlockingOperation {
    private final OperationContext context;

    public ListContributorInsights(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "ListContributorInsights";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String nameOrArn = FeatureNotInUse.tableNameOrArn(r, "TableName", "tableName", false);
        r.string("NextToken");
        r.range("maxResults", r.int32("MaxResults"), 0, 100);
        r.check();
        if (nameOrArn != null) {
            FeatureNotInUse.table(context, nameOrArn);
        }
        out.writeArrayFieldStart("ContributorInsightsSummaries");
        out.writeEndArray();
    }
}
