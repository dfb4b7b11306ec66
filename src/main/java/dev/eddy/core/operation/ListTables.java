package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import java.io.IOException;
import java.util.List;

/** ListTables: names in ascending order, at most Limit (1 to 100) a page. */
public final class ListTables implements BlockingOperation {
    private static final int MAX_LIMIT = 100;

    private final OperationContext context;

    public ListTables(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "ListTables";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String start = r.string("ExclusiveStartTableName");
        r.name("exclusiveStartTableName", start, false);
        Long limit = r.int32("Limit");
        r.range("limit", limit, 1, MAX_LIMIT);
        r.check();
        int max = limit == null ? MAX_LIMIT : limit.intValue();
        List<String> names = context.catalog().names();
        out.writeArrayFieldStart("TableNames");
        int written = 0;
        String last = null;
        boolean more = false;
        for (String name : names) {
            if (start != null && name.compareTo(start) <= 0) {
                continue;
            }
            if (written == max) {
                more = true;
                break;
            }
            out.writeString(name);
            last = name;
            written++;
        }
        out.writeEndArray();
        if (more) {
            out.writeStringField("LastEvaluatedTableName", last);
        }
    }
}
