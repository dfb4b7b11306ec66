package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.Eddy;
import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Request;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;

/** DescribeTimeToLive: ENABLED with the attribute name, or DISABLED. */
public final class DescribeTimeToLive implements Operation {
    private final Eddy eddy;

    public DescribeTimeToLive(Eddy eddy) {
        this.eddy = eddy;
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
        TableDefinition t = Tables.forItems(eddy, name);
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
