package dev.eddy.core.operation.streams;

import dev.eddy.core.operation.OperationContext;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** ListStreams: the tables' streams (optionally one table's), in ARN order, a page at a time. */
public final class ListStreams implements BlockingOperation {
    private final OperationContext context;

    public ListStreams(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "ListStreams";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String tableName = r.string("TableName");
        r.name("tableName", tableName, false);
        Long limit = r.integer("Limit");
        r.range("limit", limit, 1, 100);
        String after = r.string("ExclusiveStartStreamArn");
        r.check();
        List<TableDefinition> tables = new ArrayList<>();
        for (String name : tableName != null ? List.of(tableName) : context.catalog().names()) {
            TableDefinition t = context.catalog().find(name);
            if (t != null && t.latestStreamLabel() != null) {
                tables.add(t);
            }
        }
        tables.sort((a, b) -> a.latestStreamArn().compareTo(b.latestStreamArn()));
        int max = limit == null ? 100 : limit.intValue();
        out.writeArrayFieldStart("Streams");
        String last = null;
        int n = 0;
        for (TableDefinition t : tables) {
            if (after != null && t.latestStreamArn().compareTo(after) <= 0) {
                continue;
            }
            if (n == max) {
                break;
            }
            out.writeStartObject();
            out.writeStringField("StreamArn", t.latestStreamArn());
            out.writeStringField("TableName", t.tableName());
            out.writeStringField("StreamLabel", t.latestStreamLabel());
            out.writeEndObject();
            last = t.latestStreamArn();
            n++;
        }
        out.writeEndArray();
        if (n == max && last != null && !last.equals(tables.get(tables.size() - 1).latestStreamArn())) {
            out.writeStringField("LastEvaluatedStreamArn", last);
        }
    }
}
