package dev.eddy.functions.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a request came to, in a form two servers can be compared on: the error's type and message,
 * or the result with what may legitimately differ taken out (the order of set members, of a Scan's
 * and a batch's items, capacity figures).
 */
record Outcome(int status, String errorType, String message, JsonNode result) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Outcome of(String operation, WireClient.Response response) {
        return of(operation, response, "Scan".equals(operation));
    }

    /** @param unordered whether the items' order is the server's own (a Scan's, an index without a sort key) */
    static Outcome of(String operation, WireClient.Response response, boolean unordered) {
        JsonNode body = response.body();
        if (response.status() != 200) {
            String type = body.path("__type").asText("");
            type = type.substring(type.indexOf('#') + 1);
            String message = body.has("message") ? body.get("message").asText()
                    : body.has("Message") ? body.get("Message").asText() : null;
            return new Outcome(response.status(), type, message, null);
        }
        return new Outcome(200, null, null, normalise(operation, body.deepCopy(), unordered));
    }

    boolean failed() {
        return errorType != null;
    }

    private static JsonNode normalise(String operation, ObjectNode body, boolean unordered) {
        body.remove("ConsumedCapacity");
        body.remove("ItemCollectionMetrics");
        JsonNode canonical = canonical(body);
        if (canonical instanceof ObjectNode o) {
            if (unordered && o.get("Items") instanceof ArrayNode items) {
                o.set("Items", sorted(items));
            }
            if ("BatchGetItem".equals(operation) && o.get("Responses") instanceof ObjectNode responses) {
                responses.fields().forEachRemaining(e -> responses.set(e.getKey(), sorted((ArrayNode) e.getValue())));
            }
            if (o.get("UnprocessedItems") instanceof ObjectNode u && u.isEmpty()) {
                o.remove("UnprocessedItems");
            }
            if (o.get("UnprocessedKeys") instanceof ObjectNode u && u.isEmpty()) {
                o.remove("UnprocessedKeys");
            }
        }
        return canonical;
    }

    private static ArrayNode sorted(ArrayNode items) {
        List<String> texts = new ArrayList<>();
        items.forEach(i -> texts.add(i.toString()));
        texts.sort(null);
        ArrayNode out = JSON.createArrayNode();
        for (String t : texts) {
            try {
                out.add(JSON.readTree(t));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Objects with sorted members, and set values (SS, NS, BS) with sorted members. */
    private static JsonNode canonical(JsonNode node) {
        if (node instanceof ObjectNode o) {
            Map<String, JsonNode> members = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode value = canonical(e.getValue());
                if ((e.getKey().equals("SS") || e.getKey().equals("NS") || e.getKey().equals("BS"))
                        && value instanceof ArrayNode set) {
                    value = sorted(set);
                }
                members.put(e.getKey(), value);
            }
            ObjectNode out = JSON.createObjectNode();
            members.forEach(out::set);
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = JSON.createArrayNode();
            a.forEach(e -> out.add(canonical(e)));
            return out;
        }
        return node;
    }

    @Override
    public String toString() {
        return failed() ? status + " " + errorType + ": " + message : "200 " + result;
    }
}
