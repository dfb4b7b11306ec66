package dev.eddy.functions.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** An item a write request names (its table and key), read back on both servers after the write. */
record WrittenItem(String table, ObjectNode key) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEY_ATTRIBUTES = Set.of("pk", "sk", "id");

    static List<WrittenItem> of(RequestGenerator.Case c) {
        List<WrittenItem> out = new ArrayList<>();
        JsonNode r = c.request();
        switch (c.operation()) {
            case "PutItem" -> add(out, r.path("TableName").asText(), r.get("Item"));
            case "UpdateItem", "DeleteItem" -> add(out, r.path("TableName").asText(), r.get("Key"));
            case "BatchWriteItem" -> r.path("RequestItems").fields().forEachRemaining(e -> e.getValue().forEach(w -> {
                add(out, e.getKey(), w.path("PutRequest").get("Item"));
                add(out, e.getKey(), w.path("DeleteRequest").get("Key"));
            }));
            case "TransactWriteItems" -> r.path("TransactItems").forEach(a -> a.fields().forEachRemaining(e -> {
                JsonNode action = e.getValue();
                add(out, action.path("TableName").asText(), action.has("Item") ? action.get("Item") : action.get("Key"));
            }));
            default -> { }
        }
        return out;
    }

    private static void add(List<WrittenItem> out, String table, JsonNode itemOrKey) {
        if (itemOrKey == null || !itemOrKey.isObject()) {
            return;
        }
        ObjectNode key = JSON.createObjectNode();
        itemOrKey.fields().forEachRemaining(e -> {
            if (KEY_ATTRIBUTES.contains(e.getKey())) {
                key.set(e.getKey(), e.getValue());
            }
        });
        if (!key.isEmpty() && out.stream().noneMatch(w -> w.table.equals(table) && w.key.equals(key))) {
            out.add(new WrittenItem(table, key));
        }
    }

    ObjectNode get() {
        ObjectNode r = JSON.createObjectNode().put("TableName", table).put("ConsistentRead", true);
        r.set("Key", key);
        return r;
    }

    /** The request that makes the other server hold {@code result}'s item (a GetItem response), or not hold it. */
    ObjectNode copyOf(JsonNode result) {
        ObjectNode r = JSON.createObjectNode().put("TableName", table);
        if (result.has("Item")) {
            r.set("Item", result.get("Item"));
        } else {
            r.set("Key", key);
        }
        return r;
    }
}
