package dev.eddy.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.json.JsonMembers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A body read as it streams by ({@link Request#parse}) gives every operation what the tree it used
 * to be read into gave: the same values, and for bad input the same error, in the same order,
 * whatever order the members were sent in. Random bodies, mostly almost-right attribute values,
 * are read both ways and must agree.
 */
class StreamedRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestShape SHAPE = RequestShape.of("Key", JsonMembers.BARE_ITEM, "Item", JsonMembers.ITEM,
            "ExpressionAttributeNames", JsonMembers.NAMES, "ExpressionAttributeValues", JsonMembers.VALUES);
    private static final List<String> TYPES = List.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "X");

    /** What reading came to: a value's text, or an error's type and message. */
    private static String outcome(Supplier<Object> read) {
        try {
            return "value " + read.get();
        } catch (DynamoException e) {
            return e.type() + ": " + e.getMessage();
        }
    }

    @Test
    void itemsKeysAndPlaceholdersReadTheSameStreamedAsFromATree() throws Exception {
        Random random = new Random(18);
        for (int i = 0; i < 20_000; i++) {
            String body = "{" + member("TableName", "\"t\"") + ","
                    + member("Key", item(random, 0)) + ","
                    + member("Item", item(random, 0)) + ","
                    + member("ExpressionAttributeNames", names(random)) + ","
                    + member("ExpressionAttributeValues", values(random)) + "}";
            JsonNode tree = JSON.readTree(body);
            Request streamed = Request.parse(body.getBytes(StandardCharsets.UTF_8), SHAPE);
            Request fromTree = new Request(tree);
            assertEquals(outcome(() -> treeItem(tree, "Key", false)),
                    outcome(() -> streamed.read("Key", JsonMembers.BARE_ITEM)), body);
            assertEquals(outcome(() -> treeItem(tree, "Item", true)),
                    outcome(() -> streamed.read("Item", JsonMembers.ITEM)), body);
            assertEquals(outcome(() -> fromTree.read("Item", JsonMembers.ITEM)),
                    outcome(() -> streamed.read("Item", JsonMembers.ITEM)), body);
            assertEquals(outcome(() -> describe(Placeholders.read(Request.member(tree, "ExpressionAttributeNames"),
                            Request.member(tree, "ExpressionAttributeValues")))),
                    outcome(() -> describe(Placeholders.read(streamed.read("ExpressionAttributeNames", JsonMembers.NAMES),
                            () -> streamed.read("ExpressionAttributeValues", JsonMembers.VALUES)))), body);
        }
    }

    @Test
    void aMembersErrorIsThrownWhenTheOperationAsksForItNotWhereItWasSent() {
        // Key is sent first and is bad, TableName last and of the wrong type: the operation asks for
        // TableName first, so that is the error, as it was when the body was a tree.
        byte[] body = "{\"Key\":{\"a\":{\"N\":\"x\"}},\"TableName\":5}".getBytes(StandardCharsets.UTF_8);
        Request r = Request.parse(body, SHAPE);
        DynamoException first = assertThrows(DynamoException.class, () -> r.string("TableName"));
        assertEquals("SerializationException", first.type());
        DynamoException second = assertThrows(DynamoException.class, () -> r.read("Key", JsonMembers.BARE_ITEM));
        assertEquals("ValidationException", second.type());
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedBeforeAnyMemberIsLookedAt() {
        byte[] body = "{\"TableName\":5,\"Key\":{\"a\":{\"S\":\"x\"}}} garbage".getBytes(StandardCharsets.UTF_8);
        Request.parse(body, SHAPE); // trailing bytes after the object are ignored, as the tree reader ignored them
        DynamoException e = assertThrows(DynamoException.class,
                () -> Request.parse("{\"TableName\":\"t\",\"Key\":{\"a\":{\"S\":\"x\"}".getBytes(StandardCharsets.UTF_8), SHAPE));
        assertEquals("SerializationException", e.type());
    }

    /** How operations read an item member from a tree: JSON null is no member. */
    private static Object treeItem(JsonNode tree, String member, boolean envelope) {
        JsonNode node = Request.member(tree, member);
        return node == null ? null : AttributeValueJson.readItem(node, member, envelope);
    }

    private static String describe(Placeholders p) {
        return p.hasNames() + "/" + p.hasValues();
    }

    private static String member(String name, String value) {
        return "\"" + name + "\":" + value;
    }

    private static String names(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "5";
            case 1 -> "{}";
            case 2 -> "{\"#a\":\"x\",\"#b\":" + (r.nextBoolean() ? "\"\"" : "7") + "}";
            case 3 -> "{\"a\":\"x\"}";
            default -> "{\"#a\":\"x\"}";
        };
    }

    private static String values(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "[1]";
            case 1 -> "{}";
            case 2 -> "{\"v\":" + value(r, 0) + "}";
            default -> "{\":a\":" + value(r, 0) + ",\":b\":" + value(r, 0) + "}";
        };
    }

    private static String item(Random r, int depth) {
        if (r.nextInt(20) == 0) {
            return scalar(r);
        }
        StringBuilder s = new StringBuilder("{");
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append("\"a").append(r.nextInt(3)).append("\":").append(value(r, depth + 1));
        }
        return s.append('}').toString();
    }

    /** An attribute value, usually right, often a little wrong. */
    private static String value(Random r, int depth) {
        if (r.nextInt(15) == 0) {
            return scalar(r);
        }
        StringBuilder s = new StringBuilder("{");
        int members = r.nextInt(8) == 0 ? 2 : r.nextInt(12) == 0 ? 0 : 1;
        for (int i = 0; i < members; i++) {
            String type = TYPES.get(r.nextInt(TYPES.size()));
            s.append(i == 0 ? "" : ",").append('"').append(type).append("\":").append(typed(r, type, depth));
        }
        return s.append('}').toString();
    }

    private static String typed(Random r, String type, int depth) {
        if (r.nextInt(10) == 0) {
            return r.nextBoolean() ? scalar(r) : "null";
        }
        return switch (type) {
            case "S" -> "\"s" + r.nextInt(3) + "\"";
            case "N" -> r.nextInt(6) == 0 ? "\"1e999999\"" : r.nextInt(6) == 0 ? "\"x\"" : "\"" + r.nextInt(5) + "\"";
            case "B" -> r.nextInt(5) == 0 ? "\"AB=\"" : r.nextInt(5) == 0 ? "\"AB==\"" : "\"AA==\"";
            case "BOOL" -> r.nextBoolean() ? "true" : "\"true\"";
            case "NULL" -> r.nextBoolean() ? "true" : "false";
            case "M" -> depth > 3 ? "{}" : item(r, depth);
            case "L" -> depth > 3 ? "[]" : "[" + value(r, depth + 1) + (r.nextBoolean() ? "," + value(r, depth + 1) : "") + "]";
            case "SS" -> strings(r, "\"a\"", "\"b\"", "1");
            case "NS" -> strings(r, "\"1\"", "\"1.0\"", "\"x\"");
            case "BS" -> strings(r, "\"AA==\"", "\"AQ==\"", "\"A\"");
            default -> scalar(r);
        };
    }

    private static String strings(Random r, String a, String b, String bad) {
        int n = r.nextInt(4);
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            int pick = r.nextInt(10);
            s.append(i == 0 ? "" : ",").append(pick == 0 ? bad : pick < 5 ? a : b);
        }
        return s.append(']').toString();
    }

    private static String scalar(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "1";
            case 1 -> "1.5";
            case 2 -> "true";
            case 3 -> "\"x\"";
            case 4 -> "[]";
            default -> "null";
        };
    }
}
