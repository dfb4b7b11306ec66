package dev.eddy.core.auth.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.auth.policy.AccessRequest;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds one {@link AccessRequest}: an action on a resource and the condition keys that apply. */
final class Facts {
    private final String action;
    private final String resource;
    private final Map<String, List<String>> context = new LinkedHashMap<>();

    private Facts(String action, String resource, AccessContext ctx) {
        this.action = action;
        this.resource = resource;
        context.put(ConditionKeys.SECURE_TRANSPORT, List.of(Boolean.toString(ctx.secure())));
    }

    static Facts of(String action, String resource, AccessContext ctx) {
        return new Facts("dynamodb:" + action, resource, ctx);
    }

    Facts put(String key, String value) {
        if (value != null) {
            context.put(key, List.of(value));
        }
        return this;
    }

    Facts put(String key, Set<String> values) {
        if (values != null && !values.isEmpty()) {
            context.put(key, List.copyOf(values));
        }
        return this;
    }

    /** dynamodb:LeadingKeys from a key or item's partition key, when the table and the value are known. */
    Facts leadingKey(TableDefinition table, JsonNode keyOrItem, String partitionKey) {
        if (table == null) {
            return this;
        }
        JsonNode v = keyOrItem == null || !keyOrItem.isObject() ? null
                : keyOrItem.get(partitionKey != null ? partitionKey : table.hashKey());
        String text = keyText(v);
        return put(ConditionKeys.LEADING_KEYS, text != null ? text : ConditionKeys.UNREADABLE_KEY);
    }

    Facts leadingKey(AttributeValue value) {
        return put(ConditionKeys.LEADING_KEYS, keyText(value));
    }

    AccessRequest build() {
        return new AccessRequest(action, resource, context);
    }

    /** A key value as policies compare it: the string, the number as DynamoDB normalises it, binary in base64. */
    static String keyText(JsonNode v) {
        if (v == null || !v.isObject()) {
            return null;
        }
        try {
            return keyText(AttributeValueJson.read(v, 0));
        } catch (RuntimeException malformed) {
            return null; // the operation refuses it
        }
    }

    static String keyText(AttributeValue v) {
        if (v == null) {
            return null;
        }
        return switch (v.type()) {
            case S -> v.s();
            case N -> v.n();
            case B -> Base64.getEncoder().encodeToString(v.b());
            default -> null;
        };
    }

    /** The top-level names of an object (an item or a key). */
    static Set<String> names(JsonNode object) {
        Set<String> out = new LinkedHashSet<>();
        if (object != null && object.isObject()) {
            for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
                out.add(it.next());
            }
        }
        return out;
    }

    /** A list of strings (AttributesToGet), as names. */
    static Set<String> strings(JsonNode list) {
        Set<String> out = new LinkedHashSet<>();
        if (list != null && list.isArray()) {
            for (JsonNode n : list) {
                if (n.isTextual()) {
                    out.add(n.textValue());
                }
            }
        }
        return out;
    }

    static String text(JsonNode parent, String member) {
        JsonNode n = parent == null ? null : parent.get(member);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    static List<AccessRequest> one(Facts f) {
        List<AccessRequest> out = new ArrayList<>(1);
        out.add(f.build());
        return out;
    }
}
