package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;

/** DescribeContributorInsights: Eddy has no CloudWatch Contributor Insights, so it is DISABLED everywhere. */
public final class DescribeContributorInsights implements BlockingOperation {
    private final OperationContext context;

    public DescribeContributorInsights(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "DescribeContributorInsights";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String nameOrArn = FeatureNotInUse.tableNameOrArn(r, "TableName", "tableName", true);
        String index = r.string("IndexName");
        r.name("indexName", index, false);
        r.check();
        TableDefinition t = FeatureNotInUse.table(context, nameOrArn);
        if (index != null && t.index(index) == null) {
            throw Errors.indexNotFound(index);
        }
        out.writeStringField("TableName", t.tableName());
        if (index != null) {
            out.writeStringField("IndexName", index);
        }
        out.writeStringField("ContributorInsightsStatus", "DISABLED");
    }
}
