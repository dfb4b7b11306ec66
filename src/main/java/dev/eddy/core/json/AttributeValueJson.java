package dev.eddy.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.Numbers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * AttributeValue in DynamoDB's JSON form ({"S": "x"}, {"N": "1"}, {"B": base64}, ...): reading with
 * DynamoDB's validation (exactly one type, valid numbers, non-empty sets without duplicates,
 * NULL only true, at most 32 levels of nesting) and writing.
 */
public final class AttributeValueJson {
    /** DynamoDB supports up to 32 levels of nested documents. */
    public static final int MAX_DEPTH = 32;
    /** DynamoDB's text, misspelling included. */
    private static final String INVALID_BASE64 = "Invalid last non-pad Base64 character dectected";

    private AttributeValueJson() {
    }

    /**
     * An item or key as PutItem, UpdateItem and DeleteItem read it: bad numbers and duplicate set
     * members are reported in the "1 validation error detected: " envelope, as DynamoDB does there.
     */
    public static Map<String, AttributeValue> readItem(JsonNode node, String path) {
        return readItem(node, path, true);
    }

    /**
     * @param envelope whether bad numbers and duplicate set members are wrapped in the validation
     *                 envelope (PutItem, UpdateItem, DeleteItem) or reported bare (GetItem, Query,
     *                 BatchGetItem)
     */
    public static Map<String, AttributeValue> readItem(JsonNode node, String path, boolean envelope) {
        if (!node.isObject()) {
            throw Errors.serialization(wrongShape(node, "Map"));
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>(Math.max(4, node.size() * 2));
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            item.put(e.getKey(), read(e.getValue(), 0, envelope));
        }
        return item;
    }

    /** One value as the item-writing operations read it (see {@link #readItem(JsonNode, String)}). */
    public static AttributeValue read(JsonNode node, int depth) {
        return read(node, depth, true);
    }

    public static AttributeValue read(JsonNode node, int depth, boolean envelope) {
        if (!node.isObject()) {
            throw Errors.serialization(wrongShape(node, "AttributeValue"));
        }
        if (depth > MAX_DEPTH) {
            throw Errors.validation("Nesting Levels have exceeded supported limits");
        }
        String typeName = null;
        JsonNode value = null;
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull() || !isTypeName(e.getKey())) {
                continue; // unknown members are ignored, as DynamoDB's JSON reader does
            }
            if (typeName != null) {
                throw Errors.attributeValueMultipleTypes();
            }
            typeName = e.getKey();
            value = e.getValue();
        }
        if (typeName == null) {
            throw Errors.attributeValueEmpty();
        }
        return switch (typeName) {
            case "S" -> AttributeValue.s(text(value));
            case "N" -> AttributeValue.n(number(text(value), envelope));
            case "B" -> AttributeValue.b(binary(value));
            case "BOOL" -> AttributeValue.bool(bool(value));
            case "NULL" -> {
                if (!bool(value)) {
                    throw Errors.nullMustBeTrue();
                }
                yield AttributeValue.nul();
            }
            case "M" -> {
                if (!value.isObject()) {
                    throw Errors.serialization(wrongShape(value, "Map"));
                }
                Map<String, AttributeValue> m = new LinkedHashMap<>(Math.max(4, value.size() * 2));
                Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    m.put(f.getKey(), read(f.getValue(), depth + 1, envelope));
                }
                yield AttributeValue.m(m);
            }
            case "L" -> {
                List<AttributeValue> l = new ArrayList<>(array(value).size());
                for (JsonNode member : value) {
                    l.add(read(member, depth + 1, envelope));
                }
                yield AttributeValue.l(l);
            }
            case "SS" -> {
                List<String> members = new ArrayList<>(array(value).size());
                for (JsonNode member : value) {
                    members.add(text(member));
                }
                if (members.isEmpty()) {
                    throw Errors.emptySet("string");
                }
                int repeat = firstRepeat(members, m -> m);
                if (repeat >= 0) {
                    throw valueError(Errors.duplicateStrings(renderStrings(members, repeat)), envelope);
                }
                yield AttributeValue.ss(members);
            }
            case "NS" -> {
                List<String> members = new ArrayList<>(array(value).size());
                for (JsonNode member : value) {
                    members.add(number(text(member), envelope));
                }
                if (members.isEmpty()) {
                    throw Errors.emptySet("number");
                }
                // Compared in canonical form, so "1" and "1.0" are the same member.
                if (firstRepeat(members, m -> m) >= 0) {
                    throw valueError(Errors.duplicateNumbers(), envelope);
                }
                yield AttributeValue.ns(members);
            }
            case "BS" -> {
                List<byte[]> members = new ArrayList<>(array(value).size());
                for (JsonNode member : value) {
                    members.add(binary(member));
                }
                if (members.isEmpty()) {
                    throw Errors.emptySet("binary");
                }
                int repeat = firstRepeat(members, ByteBuffer::wrap);
                if (repeat >= 0) {
                    throw valueError(Errors.duplicateBinaries(renderBinaries(members, repeat)), envelope);
                }
                yield AttributeValue.bs(members);
            }
            default -> throw Errors.attributeValueEmpty();
        };
    }

    private static boolean isTypeName(String k) {
        return switch (k) {
            case "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS" -> true;
            default -> false;
        };
    }

    private static String number(String text, boolean envelope) {
        try {
            return Numbers.canonical(text);
        } catch (DynamoException e) {
            throw valueError(e, envelope);
        }
    }

    private static DynamoException valueError(DynamoException e, boolean envelope) {
        return envelope ? Errors.inEnvelope(e) : e;
    }

    /** The index of the first member equal to an earlier one, or -1. */
    private static <T> int firstRepeat(List<T> members, Function<T, Object> identity) {
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < members.size(); i++) {
            if (!seen.add(identity.apply(members.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * DynamoDB lists a set with a repeat the way its sorted-set insertion leaves it: the members
     * before the repeat in byte order, then the repeat, then the rest as sent; strings quoted,
     * {@code ["a", "b", "b"]}.
     */
    private static String renderStrings(List<String> members, int repeat) {
        List<String> parts = new ArrayList<>();
        for (String m : insertionOrder(members, repeat,
                Comparator.comparing((String m) -> m.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned))) {
            parts.add('"' + m + '"');
        }
        return "[" + String.join(", ", parts) + "]";
    }

    /** As {@link #renderStrings}, in base64 and without spaces: {@code ["AA==","/w==","AA=="]}. */
    private static String renderBinaries(List<byte[]> members, int repeat) {
        List<String> parts = new ArrayList<>();
        for (byte[] b : insertionOrder(members, repeat, Arrays::compareUnsigned)) {
            parts.add('"' + Base64.getEncoder().encodeToString(b) + '"');
        }
        return "[" + String.join(",", parts) + "]";
    }

    private static <T> List<T> insertionOrder(List<T> members, int repeat, Comparator<T> byteOrder) {
        List<T> out = new ArrayList<>(members.subList(0, repeat));
        out.sort(byteOrder);
        out.addAll(members.subList(repeat, members.size()));
        return out;
    }

    private static String text(JsonNode v) {
        if (!v.isTextual()) {
            throw Errors.serialization(wrongShape(v, "String"));
        }
        return v.textValue();
    }

    private static boolean bool(JsonNode v) {
        if (!v.isBoolean()) {
            throw Errors.serialization(wrongShape(v, "Boolean"));
        }
        return v.booleanValue();
    }

    private static JsonNode array(JsonNode v) {
        if (!v.isArray()) {
            throw Errors.serialization(wrongShape(v, "List"));
        }
        return v;
    }

    private static byte[] binary(JsonNode v) {
        if (!v.isTextual()) {
            throw Errors.serialization(wrongShape(v, "Blob"));
        }
        return base64(v.textValue());
    }

    private static byte[] base64(String s) {
        if (s.length() % 4 != 0) {
            throw Errors.serialization("Base64 encoded length is expected a multiple of 4 bytes but found: " + s.length());
        }
        byte[] b;
        try {
            b = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw Errors.serialization(INVALID_BASE64);
        }
        // Java's decoder ignores stray bits in the last character; DynamoDB's refuses them.
        if (!Base64.getEncoder().encodeToString(b).equals(s)) {
            throw Errors.serialization(INVALID_BASE64);
        }
        return b;
    }

    /**
     * The text DynamoDB's reader gives when a JSON value has the wrong shape for the member.
     *
     * @param expected a Java type DynamoDB's model uses (String, Boolean, Integer, Long, Blob), or
     *                 AttributeValue, Map, List, "a structure", "a list" for the containers
     */
    public static String wrongShape(JsonNode v, String expected) {
        return wrongShape(tokenOf(v), expected);
    }

    /** As {@link #wrongShape(JsonNode, String)}, for the token a streaming reader met. */
    public static String wrongShape(JsonToken t, String expected) {
        boolean scalar = switch (expected) {
            case "String", "Boolean", "Integer", "Long" -> true;
            default -> false;
        };
        if (t == null) {
            return "Unexpected value type in payload";
        }
        return switch (t) {
            case START_OBJECT -> "Start of structure or map found where not expected";
            case START_ARRAY -> scalar ? "Unrecognized collection type class java.lang." + expected
                    : "Blob".equals(expected) ? "Unrecognized collection type class java.nio.ByteBuffer"
                    : "AttributeValue".equals(expected)
                    ? "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"
                    : "Map".equals(expected) ? "Unrecognized collection type java.util.Map<java.lang.String, "
                    + "com.amazonaws.dynamodb.v20120810.AttributeValue>"
                    : "Start of list found where not expected";
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE ->
                    scalarShape(t, expected, scalar);
            default -> "Unexpected value type in payload";
        };
    }

    /** The token a streaming reader meets where the tree holds this node. */
    static JsonToken tokenOf(JsonNode v) {
        return switch (v.getNodeType()) {
            case OBJECT -> JsonToken.START_OBJECT;
            case ARRAY -> JsonToken.START_ARRAY;
            case STRING -> JsonToken.VALUE_STRING;
            case NUMBER -> v.isIntegralNumber() ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
            case BOOLEAN -> v.booleanValue() ? JsonToken.VALUE_TRUE : JsonToken.VALUE_FALSE;
            default -> JsonToken.VALUE_NULL;
        };
    }

    private static String scalarShape(JsonToken t, String expected, boolean scalar) {
        if ("Blob".equals(expected)) {
            return "only base-64-encoded strings are convertible to bytes";
        }
        if ("AttributeValue".equals(expected)) {
            return "Unexpected value type in payload";
        }
        if (!scalar) {
            return "Unexpected field type";
        }
        if (t == JsonToken.VALUE_STRING && "Boolean".equals(expected)) {
            return "Unexpected token received from parser";
        }
        String token = switch (t) {
            case VALUE_STRING -> "STRING_VALUE";
            case VALUE_TRUE -> "TRUE_VALUE";
            case VALUE_FALSE -> "FALSE_VALUE";
            case VALUE_NUMBER_INT -> "NUMBER_VALUE";
            default -> "DECIMAL_VALUE";
        };
        return token + " cannot be converted to " + expected;
    }

    // --- reading from a stream ----------------------------------------------------------------
    //
    // The same rules as the tree readers above, applied to tokens as they come: the parser stands on
    // a value's first token when a reader starts and on its last when it returns. Where the tree
    // readers look at a whole object before they convert its member (an AttributeValue with two
    // types is refused as such, whatever its values are), the stream readers convert as they go and
    // hold the conversion's error back until the object is read (see JsonMembers#readOrDefer).

    /** An item or key from a stream (see {@link #readItem(JsonNode, String, boolean)}). */
    public static Map<String, AttributeValue> readItem(JsonParser p, boolean envelope) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            throw Errors.serialization(wrongShape(t, "Map"));
        }
        return readMap(p, 0, envelope);
    }

    /**
     * The members of a map of attribute values, the parser on its START_OBJECT. A name sent twice
     * keeps its place and takes its last value, and only the values kept are checked, as when the
     * map is read into a tree first: so each value's error waits until the map is read.
     */
    private static Map<String, AttributeValue> readMap(JsonParser p, int depth, boolean envelope) throws IOException {
        Map<String, Object> read = new LinkedHashMap<>(8);
        boolean failed = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            Object v = JsonMembers.readOrDefer(p, vp -> read(vp, depth, envelope));
            failed |= v instanceof JsonMembers.Deferred;
            read.put(name, v);
        }
        if (failed) {
            for (Object v : read.values()) {
                if (v instanceof JsonMembers.Deferred d) {
                    throw d.error();
                }
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, AttributeValue> item = (Map<String, AttributeValue>) (Map<String, ?>) read;
        return item;
    }

    /** One value from a stream (see {@link #read(JsonNode, int, boolean)}). */
    public static AttributeValue read(JsonParser p, int depth, boolean envelope) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            throw Errors.serialization(wrongShape(t, "AttributeValue"));
        }
        if (depth > MAX_DEPTH) {
            throw Errors.validation("Nesting Levels have exceeded supported limits");
        }
        // As in a tree: a member sent twice keeps its place and its last value; a type whose value is
        // null does not count; two types left is an error whatever their values, so values' errors wait.
        String firstType = null;
        Object firstValue = null;
        Map<String, Object> more = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken vt = p.nextToken();
            if (!isTypeName(name)) {
                p.skipChildren(); // unknown members are ignored, as DynamoDB's JSON reader does
                continue;
            }
            Object v = vt == JsonToken.VALUE_NULL ? NO_VALUE
                    : JsonMembers.readOrDefer(p, vp -> convert(name, vp, depth, envelope));
            if (more == null && (firstType == null || firstType.equals(name))) {
                firstType = name;
                firstValue = v;
            } else {
                if (more == null) {
                    more = new LinkedHashMap<>(4);
                    more.put(firstType, firstValue);
                }
                more.put(name, v);
            }
        }
        Object value = null;
        int types = 0;
        for (Object v : more == null ? java.util.Collections.singletonList(firstValue) : more.values()) {
            if (v != null && v != NO_VALUE) {
                types++;
                value = v;
            }
        }
        if (types > 1) {
            throw Errors.attributeValueMultipleTypes();
        }
        if (types == 0) {
            throw Errors.attributeValueEmpty();
        }
        if (value instanceof JsonMembers.Deferred d) {
            throw d.error();
        }
        return (AttributeValue) value;
    }

    /** A type member whose value is JSON null, which does not count as a type. */
    private static final Object NO_VALUE = new Object();

    private static AttributeValue convert(String typeName, JsonParser p, int depth, boolean envelope) throws IOException {
        return switch (typeName) {
            case "S" -> AttributeValue.s(text(p));
            case "N" -> AttributeValue.n(number(text(p), envelope));
            case "B" -> AttributeValue.b(binary(p));
            case "BOOL" -> AttributeValue.bool(bool(p));
            case "NULL" -> {
                if (!bool(p)) {
                    throw Errors.nullMustBeTrue();
                }
                yield AttributeValue.nul();
            }
            case "M" -> {
                JsonToken t = p.currentToken();
                if (t != JsonToken.START_OBJECT) {
                    throw Errors.serialization(wrongShape(t, "Map"));
                }
                yield AttributeValue.m(readMap(p, depth + 1, envelope));
            }
            case "L" -> {
                array(p);
                List<AttributeValue> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p, depth + 1, envelope));
                }
                yield AttributeValue.l(l);
            }
            case "SS" -> {
                array(p);
                List<String> members = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    members.add(text(p));
                }
                if (members.isEmpty()) {
                    throw Errors.emptySet("string");
                }
                int repeat = firstRepeat(members, m -> m);
                if (repeat >= 0) {
                    throw valueError(Errors.duplicateStrings(renderStrings(members, repeat)), envelope);
                }
                yield AttributeValue.ss(members);
            }
            case "NS" -> {
                array(p);
                List<String> members = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    members.add(number(text(p), envelope));
                }
                if (members.isEmpty()) {
                    throw Errors.emptySet("number");
                }
                if (firstRepeat(members, m -> m) >= 0) {
                    throw valueError(Errors.duplicateNumbers(), envelope);
                }
                yield AttributeValue.ns(members);
            }
            case "BS" -> {
                array(p);
                List<byte[]> members = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    members.add(binary(p));
                }
                if (members.isEmpty()) {
                    throw Errors.emptySet("binary");
                }
                int repeat = firstRepeat(members, ByteBuffer::wrap);
                if (repeat >= 0) {
                    throw valueError(Errors.duplicateBinaries(renderBinaries(members, repeat)), envelope);
                }
                yield AttributeValue.bs(members);
            }
            default -> throw Errors.attributeValueEmpty();
        };
    }

    private static String text(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_STRING) {
            throw Errors.serialization(wrongShape(t, "String"));
        }
        return p.getText();
    }

    private static boolean bool(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw Errors.serialization(wrongShape(t, "Boolean"));
        }
        return t == JsonToken.VALUE_TRUE;
    }

    private static void array(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_ARRAY) {
            throw Errors.serialization(wrongShape(t, "List"));
        }
    }

    private static byte[] binary(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_STRING) {
            throw Errors.serialization(wrongShape(t, "Blob"));
        }
        return base64(p.getText());
    }

    // --- writing ------------------------------------------------------------------------------

    public static void writeItem(JsonGenerator g, Map<String, AttributeValue> item) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            g.writeFieldName(e.getKey());
            write(g, e.getValue());
        }
        g.writeEndObject();
    }

    public static void write(JsonGenerator g, AttributeValue v) throws IOException {
        g.writeStartObject();
        switch (v.type()) {
            case S -> g.writeStringField("S", v.s());
            case N -> g.writeStringField("N", v.n());
            case B -> {
                g.writeFieldName("B");
                g.writeBinary(v.b());
            }
            case BOOL -> g.writeBooleanField("BOOL", v.bool());
            case NULL -> g.writeBooleanField("NULL", true);
            case M -> {
                g.writeFieldName("M");
                writeItem(g, v.m());
            }
            case L -> {
                g.writeArrayFieldStart("L");
                for (AttributeValue m : v.l()) {
                    write(g, m);
                }
                g.writeEndArray();
            }
            case SS -> writeStrings(g, "SS", v.ss());
            case NS -> writeStrings(g, "NS", v.ns());
            case BS -> {
                g.writeArrayFieldStart("BS");
                for (byte[] m : v.bs()) {
                    g.writeBinary(m);
                }
                g.writeEndArray();
            }
        }
        g.writeEndObject();
    }

    private static void writeStrings(JsonGenerator g, String field, List<String> members) throws IOException {
        g.writeArrayFieldStart(field);
        for (String m : members) {
            g.writeString(m);
        }
        g.writeEndArray();
    }
}
