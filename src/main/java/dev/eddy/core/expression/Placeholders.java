package dev.eddy.core.expression;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's ExpressionAttributeNames ({@code #n}) and ExpressionAttributeValues ({@code :v}),
 * shared by all its expressions. Every one given must be used by some expression of the request,
 * which {@link #checkAllUsed()} enforces once they are all parsed.
 */
public final class Placeholders {
    private static final Pattern NAME_KEY = Pattern.compile("#[0-9a-zA-Z_]+");
    private static final Pattern VALUE_KEY = Pattern.compile(":[0-9a-zA-Z_]+");

    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    private Placeholders(Map<String, String> names, Map<String, AttributeValue> values) {
        this.names = names;
        this.values = values;
    }

    /** Maps already read and checked, e.g. by a test; null means the parameter was not given. */
    public static Placeholders of(Map<String, String> names, Map<String, AttributeValue> values) {
        return new Placeholders(names, values);
    }

    public static Placeholders none() {
        return new Placeholders(null, null);
    }

    /**
     * Reads and checks both maps in the order DynamoDB reports their problems: names empty, a name
     * key, values empty, a value key, a value, then an empty name.
     *
     * @param namesNode  ExpressionAttributeNames, or null
     * @param valuesNode ExpressionAttributeValues, or null
     */
    public static Placeholders read(JsonNode namesNode, JsonNode valuesNode) {
        Map<String, String> names = namesNode == null ? null : readNames(namesNode);
        java.util.function.Supplier<Map<String, Object>> values = valuesNode == null ? null : () -> {
            if (!valuesNode.isObject()) {
                throw Errors.serialization(AttributeValueJson.wrongShape(valuesNode, "Map"));
            }
            Map<String, Object> raw = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = valuesNode.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                raw.put(e.getKey(), e.getValue());
            }
            return raw;
        };
        return read(names, values);
    }

    /**
     * As {@link #read(JsonNode, JsonNode)}, from maps read as the body streamed by.
     *
     * @param names  ExpressionAttributeNames, or null
     * @param values ExpressionAttributeValues as sent, asked for once the names are checked (it throws
     *               the member's own problems then), or null; each value is an AttributeValue, a
     *               JSON node still to read, or the error reading it met
     */
    public static Placeholders read(Map<String, String> names, java.util.function.Supplier<Map<String, Object>> values) {
        if (names != null) {
            if (names.isEmpty()) {
                throw Errors.namesEmpty();
            }
            for (String key : names.keySet()) {
                if (!NAME_KEY.matcher(key).matches()) {
                    throw Errors.invalidNameKey(key);
                }
            }
        }
        Map<String, Object> given = values == null ? null : values.get();
        Map<String, AttributeValue> checked = null;
        if (given != null) {
            if (given.isEmpty()) {
                throw Errors.valuesEmpty();
            }
            for (String key : given.keySet()) {
                if (!VALUE_KEY.matcher(key).matches()) {
                    throw Errors.invalidValueKey(key);
                }
            }
            checked = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : given.entrySet()) {
                checked.put(e.getKey(), value(e.getKey(), e.getValue()));
            }
        }
        if (names != null) {
            for (Map.Entry<String, String> e : names.entrySet()) {
                if (e.getValue().isEmpty()) {
                    throw Errors.emptyAttributeName(e.getKey());
                }
            }
        }
        return new Placeholders(names, checked);
    }

    private static AttributeValue value(String key, Object given) {
        if (given instanceof AttributeValue v) {
            return v;
        }
        if (given instanceof dev.eddy.core.json.JsonMembers.Deferred d) {
            throw asValueError(key, d.error());
        }
        return readValue(key, (JsonNode) given);
    }

    private static DynamoException asValueError(String key, DynamoException e) {
        return "ValidationException".equals(e.type()) ? Errors.invalidValue(e.getMessage(), key) : e;
    }

    private static Map<String, String> readNames(JsonNode node) {
        if (!node.isObject()) {
            throw Errors.serialization(AttributeValueJson.wrongShape(node, "Map"));
        }
        Map<String, String> names = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw Errors.serialization(AttributeValueJson.wrongShape(e.getValue(), "String"));
            }
            names.put(e.getKey(), e.getValue().textValue());
        }
        return names;
    }

    /** A value is checked as any attribute value; DynamoDB names the key its problem is in. */
    private static AttributeValue readValue(String key, JsonNode node) {
        try {
            return AttributeValueJson.read(node, 0, false);
        } catch (DynamoException e) {
            throw asValueError(key, e);
        }
    }

    public boolean hasNames() {
        return names != null;
    }

    public boolean hasValues() {
        return values != null;
    }

    /** The attribute name {@code #n} stands for, or null when undefined; marks it used. */
    String name(String placeholder) {
        String name = names == null ? null : names.get(placeholder);
        if (name != null) {
            usedNames.add(placeholder);
        }
        return name;
    }

    /** As {@link #name} without marking it used: for comparing paths before they are resolved. */
    String peekName(String placeholder) {
        return names == null ? null : names.get(placeholder);
    }

    AttributeValue value(String placeholder) {
        AttributeValue value = values == null ? null : values.get(placeholder);
        if (value != null) {
            usedValues.add(placeholder);
        }
        return value;
    }

    /** After every expression of the request is parsed: names first, then values, keys sorted. */
    public void checkAllUsed() {
        List<String> unusedNames = unused(names == null ? Set.of() : names.keySet(), usedNames);
        if (!unusedNames.isEmpty()) {
            throw Errors.unusedNames(unusedNames);
        }
        List<String> unusedValues = unused(values == null ? Set.of() : values.keySet(), usedValues);
        if (!unusedValues.isEmpty()) {
            throw Errors.unusedValues(unusedValues);
        }
    }

    private static List<String> unused(Set<String> given, Set<String> used) {
        List<String> unused = new ArrayList<>();
        for (String k : given) {
            if (!used.contains(k)) {
                unused.add(k);
            }
        }
        Collections.sort(unused);
        return unused;
    }
}
