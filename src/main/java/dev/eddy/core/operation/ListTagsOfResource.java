package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ListTagsOfResource: a table's tags (those given to CreateTable and TagResource), in the order
 * they were first set. A page holds {@value #PAGE} tags, which is every tag a table can have, so
 * NextToken only appears if the limit ever grows; a NextToken names the last key of the page
 * before, as {@code ExclusiveStartKey} does elsewhere.
 */
public final class ListTagsOfResource implements BlockingOperation {
    static final int PAGE = Tags.MAX_TAGS;
    private final OperationContext context;

    public ListTagsOfResource(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "ListTagsOfResource";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String arn = r.string("ResourceArn");
        if (r.notNull("resourceArn", arn)) {
            r.length("resourceArn", arn, 1, 1283);
        }
        String nextToken = r.string("NextToken");
        r.check();
        String table = ResourceArns.tableOf(context, arn);
        TableDefinition t = context.catalog().findConsistent(table);
        if (t == null) {
            throw Errors.resourceArnNotFound(arn);
        }
        List<Map.Entry<String, String>> tags = new ArrayList<>(t.tags() == null ? Map.<String, String>of().entrySet()
                : t.tags().entrySet());
        int start = 0;
        if (nextToken != null) {
            while (start < tags.size() && !tags.get(start).getKey().equals(nextToken)) {
                start++;
            }
            start = Math.min(start + 1, tags.size());
        }
        int end = Math.min(start + PAGE, tags.size());
        out.writeArrayFieldStart("Tags");
        for (Map.Entry<String, String> tag : tags.subList(start, end)) {
            out.writeStartObject();
            out.writeStringField("Key", tag.getKey());
            out.writeStringField("Value", tag.getValue());
            out.writeEndObject();
        }
        out.writeEndArray();
        if (end < tags.size()) {
            out.writeStringField("NextToken", tags.get(end - 1).getKey());
        }
    }
}
