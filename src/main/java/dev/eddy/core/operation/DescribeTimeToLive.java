package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;

/** DescribeTimeToLive: ENABLED with the attribute name, or DISABLED. */
public final class DescribeTimeToLive implements BlockingOperation {
    private final OperationContext context;

    public DescribeTimeToLive(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "DescribeTimeToLive";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        r.check();
        TableDefinition t = Tables.forItems(context, name);
        out.writeObjectFieldStart("TimeToLiveDescription");
        if (t.timeToLiveAttribute() == null) {
            out.writeStringField("TimeToLiveStatus", "DISABLED");
        } else {
            out.writeStringField("TimeToLiveStatus", "ENABLED");
            out.writeStringField("AttributeName", t.timeToLiveAttribute());
        }
        out.writeEndObject();
    }
}
