package dev.eddy.core.auth.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.auth.policy.AccessRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * BatchGetItem and BatchWriteItem: the batch's action on every table it names, once per item, each
 * with that item's partition key and attributes, so a policy limited to some partitions or
 * attributes is checked against every item in the batch and not against the batch as a whole.
 */
public final class BatchAccess {
    private BatchAccess() {
    }

    public static List<AccessRequest> batchGetItem(JsonNode r, AccessContext ctx) {
        List<AccessRequest> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tables(r); it.hasNext(); ) {
            Map.Entry<String, JsonNode> table = it.next();
            JsonNode keys = table.getValue().get("Keys");
            if (keys == null || !keys.isArray() || keys.isEmpty()) {
                out.add(Facts.of("BatchGetItem", ctx.tableArn(table.getKey()), ctx).build());
                continue;
            }
            for (JsonNode key : keys) {
                // One key read as a GetItem of that table with the batch's projection for it.
                ObjectNode single = table.getValue().isObject() ? ((ObjectNode) table.getValue()).deepCopy()
                        : JsonNodeFactory.instance.objectNode();
                single.put("TableName", table.getKey());
                single.set("Key", key);
                single.remove("Keys");
                out.add(ItemAccess.read("BatchGetItem", single, ctx, null).build());
            }
        }
        return out;
    }

    public static List<AccessRequest> batchWriteItem(JsonNode r, AccessContext ctx) {
        List<AccessRequest> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tables(r); it.hasNext(); ) {
            Map.Entry<String, JsonNode> table = it.next();
            JsonNode writes = table.getValue();
            if (writes == null || !writes.isArray() || writes.isEmpty()) {
                out.add(Facts.of("BatchWriteItem", ctx.tableArn(table.getKey()), ctx).build());
                continue;
            }
            for (JsonNode write : writes) {
                ObjectNode single = JsonNodeFactory.instance.objectNode();
                single.put("TableName", table.getKey());
                if (write.has("PutRequest")) {
                    single.set("Item", write.path("PutRequest").get("Item"));
                    out.add(ItemAccess.put("BatchWriteItem", single, ctx, null).build());
                }
                if (write.has("DeleteRequest") || !write.has("PutRequest")) {
                    single.set("Key", write.path("DeleteRequest").get("Key"));
                    out.add(ItemAccess.delete("BatchWriteItem", single, ctx, null).build());
                }
            }
        }
        return out;
    }

    private static Iterator<Map.Entry<String, JsonNode>> tables(JsonNode r) {
        JsonNode items = r.get("RequestItems");
        return items != null && items.isObject() ? items.fields() : Collections.emptyIterator();
    }
}
