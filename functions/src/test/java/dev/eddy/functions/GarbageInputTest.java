package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated garbage at every operation: valid requests with one part replaced by something of the
 * wrong type or shape, deep nesting, huge or broken expressions, out-of-range numbers, invalid
 * UTF-8 and random bytes. Every answer is a success or a 400 with a DynamoDB error type, never a
 * server error, and a rejected request leaves the table as it was. The seed is fixed, so a failure
 * reproduces; it is printed with each failing case.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class GarbageInputTest extends DynamoTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int CASES_PER_TEMPLATE = 40;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Random random = new Random(20261122L);

    private record Answer(int status, String body) {
    }

    private Answer send(String operation, byte[] body) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(endpoint.toString().replaceAll("/$", "") + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810." + operation)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    }

    /** Valid requests for each operation against the fuzz table; garbage is made from them. */
    private List<String[]> templates(String t) {
        String key = "{\"pk\":{\"S\":\"k1\"},\"sk\":{\"N\":\"1\"}}";
        String item = "{\"pk\":{\"S\":\"k1\"},\"sk\":{\"N\":\"1\"},\"a\":{\"S\":\"x\"},\"n\":{\"N\":\"5\"},\"l\":{\"L\":[{\"S\":\"e\"}]}}";
        return List.of(
                new String[] {"PutItem", "{\"TableName\":\"" + t + "\",\"Item\":" + item + ",\"ConditionExpression\":\"attribute_exists(a)\","
                        + "\"ReturnValues\":\"ALL_OLD\"}"},
                new String[] {"GetItem", "{\"TableName\":\"" + t + "\",\"Key\":" + key + ",\"ProjectionExpression\":\"a, l[0]\","
                        + "\"ConsistentRead\":true}"},
                new String[] {"UpdateItem", "{\"TableName\":\"" + t + "\",\"Key\":" + key + ",\"UpdateExpression\":"
                        + "\"SET n = n + :one, l = list_append(l, :l) REMOVE a\",\"ConditionExpression\":\"n < :max\","
                        + "\"ExpressionAttributeValues\":{\":one\":{\"N\":\"1\"},\":l\":{\"L\":[{\"N\":\"2\"}]},\":max\":{\"N\":\"100\"}},"
                        + "\"ReturnValues\":\"UPDATED_NEW\"}"},
                new String[] {"DeleteItem", "{\"TableName\":\"" + t + "\",\"Key\":" + key + ",\"ConditionExpression\":\"n > :z\","
                        + "\"ExpressionAttributeValues\":{\":z\":{\"N\":\"1000\"}}}"},
                new String[] {"Query", "{\"TableName\":\"" + t + "\",\"KeyConditionExpression\":\"pk = :p AND sk BETWEEN :a AND :b\","
                        + "\"FilterExpression\":\"size(a) > :z\",\"ExpressionAttributeValues\":{\":p\":{\"S\":\"k1\"},"
                        + "\":a\":{\"N\":\"0\"},\":b\":{\"N\":\"9\"},\":z\":{\"N\":\"0\"}},\"Limit\":5,\"ScanIndexForward\":false}"},
                new String[] {"Scan", "{\"TableName\":\"" + t + "\",\"Limit\":3,\"Segment\":0,\"TotalSegments\":2,"
                        + "\"FilterExpression\":\"contains(l, :e)\",\"ExpressionAttributeValues\":{\":e\":{\"S\":\"e\"}}}"},
                new String[] {"BatchWriteItem", "{\"RequestItems\":{\"" + t + "\":[{\"PutRequest\":{\"Item\":" + item + "}},"
                        + "{\"DeleteRequest\":{\"Key\":{\"pk\":{\"S\":\"k2\"},\"sk\":{\"N\":\"2\"}}}}]}}"},
                new String[] {"BatchGetItem", "{\"RequestItems\":{\"" + t + "\":{\"Keys\":[" + key + "],\"ConsistentRead\":true}}}"},
                new String[] {"CreateTable", "{\"TableName\":\"garbage-new\",\"KeySchema\":[{\"AttributeName\":\"h\",\"KeyType\":\"HASH\"}],"
                        + "\"AttributeDefinitions\":[{\"AttributeName\":\"h\",\"AttributeType\":\"S\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}"},
                new String[] {"DescribeTable", "{\"TableName\":\"" + t + "\"}"},
                new String[] {"ListTables", "{\"Limit\":5,\"ExclusiveStartTableName\":\"abc\"}"},
                new String[] {"UpdateTable", "{\"TableName\":\"" + t + "\",\"BillingMode\":\"PAY_PER_REQUEST\"}"},
                new String[] {"DeleteTable", "{\"TableName\":\"garbage-never-created\"}"});
    }

    /** Something of a random wrong shape. */
    private JsonNode garbage(int depth) {
        switch (random.nextInt(depth > 3 ? 9 : 12)) {
            case 0: return F.numberNode(random.nextLong());
            case 1: return F.numberNode(random.nextDouble() * 1e300);
            case 2: return F.textNode(randomText(random.nextInt(3) == 0 ? 5000 : 20));
            case 3: return F.booleanNode(random.nextBoolean());
            case 4: return F.nullNode();
            case 5: return F.textNode("1e" + (random.nextBoolean() ? "" : "-") + random.nextInt(100_000));
            case 6: return F.textNode(expressionNoise());
            case 7: {
                ObjectNode o = F.objectNode();
                o.put(List.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "X").get(random.nextInt(11)),
                        random.nextBoolean() ? F.textNode(randomText(8)) : F.numberNode(random.nextInt()));
                return o;
            }
            case 8: return F.textNode("");
            case 9: {
                ArrayNode a = F.arrayNode();
                for (int i = random.nextInt(4); i >= 0; i--) {
                    a.add(garbage(depth + 1));
                }
                return a;
            }
            case 10: {
                // Nesting far past DynamoDB's 32 levels.
                ObjectNode root = F.objectNode();
                ObjectNode cur = root;
                for (int i = 0; i < 40 + random.nextInt(40); i++) {
                    ObjectNode m = F.objectNode();
                    cur.set("M", F.objectNode().set("x", m));
                    cur = m;
                }
                cur.put("S", "deep");
                return root;
            }
            default: {
                ObjectNode o = F.objectNode();
                for (int i = random.nextInt(3); i >= 0; i--) {
                    o.set(randomText(3), garbage(depth + 1));
                }
                return o;
            }
        }
    }

    private String expressionNoise() {
        String[] parts = {"(", ")", "AND", "OR", "NOT", "=", "<>", "<", ">=", "BETWEEN", "IN", ",", ":v", "#n", "a.b[3]",
                "size(", "attribute_exists(", "begins_with(", "SET", "REMOVE", "ADD", "DELETE", "+", "-", "[", "]",
                "list_append(", "if_not_exists(", "x", "[99999999999]", ".", "\u0000", "\uD800"};
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(10) == 0 ? 3000 : 1 + random.nextInt(15);
        for (int i = 0; i < n; i++) {
            s.append(parts[random.nextInt(parts.length)]).append(' ');
        }
        return s.toString();
    }

    private String randomText(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) (random.nextBoolean() ? 'a' + random.nextInt(26) : random.nextInt(0xD7FF)));
        }
        return s.toString();
    }

    /** A copy of the request with one node, at any depth, replaced by garbage. */
    private JsonNode mutate(JsonNode request) {
        JsonNode copy = request.deepCopy();
        List<JsonNode> containers = new ArrayList<>();
        collect(copy, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = random.nextInt(8) == 0 ? randomText(5) : names.get(random.nextInt(names.size()));
            if (random.nextInt(6) == 0) {
                o.remove(name);
            } else {
                o.set(name, garbage(0));
            }
        } else if (target instanceof ArrayNode a && a.size() > 0) {
            a.set(random.nextInt(a.size()), garbage(0));
        }
        return copy;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            Iterator<JsonNode> it = node.elements();
            while (it.hasNext()) {
                collect(it.next(), out);
            }
        }
    }

    private byte[] body(JsonNode request) throws Exception {
        byte[] bytes = JSON.writeValueAsBytes(request);
        switch (random.nextInt(20)) {
            case 0: { // invalid UTF-8 somewhere inside a string
                int at = bytes.length / 2;
                byte[] out = new byte[bytes.length + 2];
                System.arraycopy(bytes, 0, out, 0, at);
                out[at] = (byte) 0xC3;
                out[at + 1] = (byte) 0x28;
                System.arraycopy(bytes, at, out, at + 2, bytes.length - at);
                return out;
            }
            case 1: // truncated
                return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2: { // random bytes
                byte[] out = new byte[1 + random.nextInt(200)];
                random.nextBytes(out);
                return out;
            }
            default:
                return bytes;
        }
    }

    private String snapshot(String table) {
        return dynamo.scan(r -> r.tableName(table).consistentRead(true)).items().toString();
    }

    @Test
    void garbageNeverGetsAServerErrorNorAPartialWrite() throws Exception {
        String table = createTable("garbage", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k1"), "sk", AttributeValue.fromN("1"),
                "a", AttributeValue.fromS("x"), "n", AttributeValue.fromN("5"),
                "l", AttributeValue.fromL(List.of(AttributeValue.fromS("e"))))));
        int rejected = 0;
        int accepted = 0;
        for (String[] template : templates(table)) {
            JsonNode valid = JSON.readTree(template[1]);
            for (int i = 0; i < CASES_PER_TEMPLATE; i++) {
                byte[] body = body(mutate(valid));
                String before = snapshot(table);
                Answer a = send(template[0], body);
                String what = template[0] + " " + new String(body, StandardCharsets.UTF_8);
                assertTrue(a.status == 200 || a.status == 400, "status " + a.status + " for " + what + " -> " + a.body);
                if (a.status == 400) {
                    rejected++;
                    JsonNode error = JSON.readTree(a.body);
                    assertNotNull(error.get("__type"), "a DynamoDB error type for " + what);
                    assertTrue(error.get("__type").asText().contains("#"), a.body);
                    assertEquals(before, snapshot(table), "a rejected request changed nothing: " + what);
                } else {
                    accepted++;
                }
            }
        }
        assertTrue(rejected > accepted, "the garbage was mostly refused: " + rejected + " vs " + accepted);
    }
}
