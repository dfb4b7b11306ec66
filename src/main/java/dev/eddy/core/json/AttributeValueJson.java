package dev.eddy.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
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
        String s = v.textValue();
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
        boolean scalar = switch (expected) {
            case "String", "Boolean", "Integer", "Long" -> true;
            default -> false;
        };
        return switch (v.getNodeType()) {
            case OBJECT -> "Start of structure or map found where not expected";
            case ARRAY -> scalar ? "Unrecognized collection type class java.lang." + expected
                    : "Blob".equals(expected) ? "Unrecognized collection type class java.nio.ByteBuffer"
                    : "AttributeValue".equals(expected)
                    ? "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"
                    : "Map".equals(expected) ? "Unrecognized collection type java.util.Map<java.lang.String, "
                    + "com.amazonaws.dynamodb.v20120810.AttributeValue>"
                    : "Start of list found where not expected";
            case STRING, NUMBER, BOOLEAN -> scalarShape(v, expected, scalar);
            default -> "Unexpected value type in payload";
        };
    }

    private static String scalarShape(JsonNode v, String expected, boolean scalar) {
        if ("Blob".equals(expected)) {
            return "only base-64-encoded strings are convertible to bytes";
        }
        if ("AttributeValue".equals(expected)) {
            return "Unexpected value type in payload";
        }
        if (!scalar) {
            return "Unexpected field type";
        }
        if (v.isTextual() && "Boolean".equals(expected)) {
            return "Unexpected token received from parser";
        }
        String token = v.isTextual() ? "STRING_VALUE"
                : v.isBoolean() ? (v.booleanValue() ? "TRUE_VALUE" : "FALSE_VALUE")
                : v.isIntegralNumber() ? "NUMBER_VALUE" : "DECIMAL_VALUE";
        return token + " cannot be converted to " + expected;
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
