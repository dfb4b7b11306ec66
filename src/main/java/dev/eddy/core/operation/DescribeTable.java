package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.Eddy;
import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Request;
import dev.eddy.core.storage.TableStatistics;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.table.TableDescriptions;
import java.io.IOException;

/** DescribeTable: the full TableDescription. A table left CREATING or DELETING is finished here. */
public final class DescribeTable implements Operation {
    private final Eddy eddy;

    public DescribeTable(Eddy eddy) {
        this.eddy = eddy;
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
        TableDefinition t = Tables.forTableOps(eddy, name);
        if (TableDefinition.CREATING.equals(t.status())) {
            t = TableLifecycle.finishCreating(eddy, t);
        } else if (TableDefinition.DELETING.equals(t.status())) {
            TableLifecycle.finishDeleting(eddy, t);
        }
        TableStatistics.Figures figures = eddy.statistics().describe(t);
        out.writeFieldName("Table");
        TableDescriptions.write(out, t, figures.sizes());
    }
}
