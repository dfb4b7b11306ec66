package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** UntagResource: removes tags from a table by key; a key the table does not have is no error. */
public final class UntagResource implements BlockingOperation {
    private final OperationContext context;

    public UntagResource(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "UntagResource";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String arn = r.string("ResourceArn");
        if (r.notNull("resourceArn", arn)) {
            r.length("resourceArn", arn, 1, 1283);
        }
        JsonNode list = r.list("TagKeys");
        r.notNull("tagKeys", list);
        List<String> keys = new ArrayList<>();
        if (list != null) {
            for (JsonNode k : list) {
                keys.add(text(k));
            }
        }
        r.check();
        String table = ResourceArns.tableOf(context, arn);
        if (keys.isEmpty()) {
            throw Errors.noTagKeys();
        }
        // DynamoDB counts the keys against the tag limit even though they remove tags.
        if (keys.size() > Tags.MAX_TAGS) {
            throw Errors.tooManyTags();
        }
        for (String key : keys) {
            Tags.checkKey(key);
        }
        if (context.catalog().update(table, t -> {
            Map<String, String> next = new LinkedHashMap<>(t.tags() == null ? Map.of() : t.tags());
            next.keySet().removeAll(keys);
            return t.withTags(next);
        }) == null) {
            throw Errors.resourceArnNotFound(arn);
        }
    }

    private static String text(JsonNode k) {
        if (k.isNull()) {
            return null;
        }
        if (!k.isTextual()) {
            throw Errors.serialization(dev.eddy.core.json.AttributeValueJson.wrongShape(k, "String"));
        }
        return k.textValue();
    }
}
