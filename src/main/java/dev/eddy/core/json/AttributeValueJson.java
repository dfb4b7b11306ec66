package dev.eddy.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.Numbers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AttributeValue in DynamoDB's JSON form ({"S": "x"}, {"N": "1"}, {"B": base64}, ...): reading with
 * DynamoDB's validation (exactly one type, valid numbers, non-empty sets without duplicates,
 * NULL only true, at most 32 levels of nesting) and writing.
 */
public final class AttributeValueJson {
    /** DynamoDB supports up to 32 levels of nested documents. */
    public static final int MAX_DEPTH = 32;

    private AttributeValueJson() {
    }

    public static Map<String, AttributeValue> readItem(JsonNode node, String path) {
        if (!node.isObject()) {
            throw Errors.serialization(wrongShape(node, "Map"));
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>(Math.max(4, node.size() * 2));
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            item.put(e.getKey(), read(e.getValue(), 0));
        }
        return item;
    }

    public static AttributeValue read(JsonNode node, int depth) {
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
            case "N" -> AttributeValue.n(Numbers.canonical(text(value)));
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
                    m.put(f.getKey(), read(f.getValue(), depth + 1));
                }
                yield AttributeValue.m(m);
            }
            case "L" -> {
                List<AttributeValue> l = new ArrayList<>(array(value).size());
                for (JsonNode member : value) {
                    l.add(read(member, depth + 1));
                }
                yield AttributeValue.l(l);
            }
            case "SS" -> {
                List<String> members = new ArrayList<>(array(value).size());
                for (JsonNode member : value) {
                    members.add(text(member));
                }
                checkSet(members, "string");
                yield AttributeValue.ss(members);
            }
            case "NS" -> {
                List<String> members = new ArrayList<>(array(value).size());
                for (JsonNode member : value) {
                    members.add(Numbers.canonical(text(member)));
                }
                checkSet(members, "number");
                yield AttributeValue.ns(members);
            }
            case "BS" -> {
                List<byte[]> members = new ArrayList<>(array(value).size());
                Set<AttributeValue.ByteString> seen = new HashSet<>();
                for (JsonNode member : value) {
                    byte[] b = binary(member);
                    members.add(b);
                    if (!seen.add(new AttributeValue.ByteString(b))) {
                        throw Errors.duplicateSetMembers(renderBinarySet(members));
                    }
                }
                if (members.isEmpty()) {
                    throw Errors.emptySet("binary");
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

    private static void checkSet(List<String> members, String kind) {
        if (members.isEmpty()) {
            throw Errors.emptySet(kind);
        }
        if (new HashSet<>(members).size() != members.size()) {
            throw Errors.duplicateSetMembers(members.toString());
        }
    }

    private static String renderBinarySet(List<byte[]> members) {
        List<String> out = new ArrayList<>();
        for (byte[] m : members) {
            out.add(Base64.getEncoder().encodeToString(m));
        }
        return out.toString();
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
        String s = text(v);
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw Errors.serialization("Base64 encoded length is expected a multiple of 4 bytes but found: " + s.length());
        }
    }

    /** The text DynamoDB's reader gives when a JSON value has the wrong shape for the member. */
    public static String wrongShape(JsonNode v, String expected) {
        return switch (v.getNodeType()) {
            case OBJECT -> "Start of structure or map found where not expected.";
            case ARRAY -> "Start of list found where not expected";
            case STRING -> "STRING_VALUE cannot be converted to " + expected;
            case NUMBER -> "NUMBER_VALUE cannot be converted to " + expected;
            case BOOLEAN -> (v.booleanValue() ? "TRUE_VALUE" : "FALSE_VALUE") + " cannot be converted to " + expected;
            default -> "Unexpected value type in payload";
        };
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
