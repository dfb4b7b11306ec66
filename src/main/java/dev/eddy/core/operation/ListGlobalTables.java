package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import java.io.IOException;

/** ListGlobalTables (version 2017.11.29): Eddy has no global tables, so the list is empty. */
public final class ListGlobalTables implements BlockingOperation {
    public ListGlobalTables(OperationContext context) {
    }

    @Override
    public String name() {
        return "ListGlobalTables";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        r.name("exclusiveStartGlobalTableName", r.string("ExclusiveStartGlobalTableName"), false);
        r.range("limit", r.int32("Limit"), 1, Integer.MAX_VALUE);
        r.string("RegionName");
        r.check();
        out.writeArrayFieldStart("GlobalTables");
        out.writeEndArray();
    }
}
