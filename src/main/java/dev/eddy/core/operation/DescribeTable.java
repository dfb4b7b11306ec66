package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.storage.TableStatistics;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.table.TableDescriptions;
import java.io.IOException;

/** DescribeTable: the full TableDescription. A table left CREATING or DELETING is finished here. */
public final class DescribeTable implements BlockingOperation {
    private final OperationContext context;

    public DescribeTable(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "DescribeTable";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        r.check();
        TableDefinition t = Tables.forTableOps(context, name);
        if (TableDefinition.CREATING.equals(t.status())) {
            t = TableLifecycle.finishCreating(context, t);
        } else if (TableDefinition.DELETING.equals(t.status())) {
            TableLifecycle.finishDeleting(context, t);
        }
        TableStatistics.Figures figures = context.statistics().describe(t);
        out.writeFieldName("Table");
        TableDescriptions.write(out, t, figures.sizes());
    }
}
