package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import java.io.IOException;
import java.util.Map;

/**
 * TagResource: adds tags to a table named by its ARN, replacing the value of a key it has already.
 * All the tags are checked before any is stored, and the table's tags are replaced in one
 * compare-and-set of its definition, so a refused call changes nothing.
 */
public final class TagResource implements BlockingOperation {
    private final OperationContext context;

    public TagResource(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "TagResource";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String arn = r.string("ResourceArn");
        if (r.notNull("resourceArn", arn)) {
            r.length("resourceArn", arn, 1, 1283);
        }
        JsonNode list = r.list("Tags");
        r.notNull("tags", list);
        r.check();
        String table = ResourceArns.tableOf(context, arn);
        if (list.isEmpty()) {
            throw Errors.noTags();
        }
        Map<String, String> added = Tags.check(Tags.read(list));
        if (context.catalog().update(table, t -> t.withTags(Tags.merged(t.tags(), added))) == null) {
            throw Errors.resourceArnNotFound(arn);
        }
    }
}
