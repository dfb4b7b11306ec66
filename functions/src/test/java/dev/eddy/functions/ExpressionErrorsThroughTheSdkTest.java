package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every expression error of the core reaches an AWS SDK v2 client as DynamoDB sends it: the error
 * type, HTTP 400 and the exact message, from the operation that carries the expression; and a
 * refused write writes nothing. The cases are the ones the core's expression tests
 * check, read from the same file ({@value #CASES}, the core's test resource): a
 * KeyConditionExpression goes to Query, a ProjectionExpression to GetItem, an UpdateExpression to
 * UpdateItem (applied to the case's stored item, if it has one), and a ConditionExpression or the
 * legacy Expected to PutItem, UpdateItem and DeleteItem each. The SDK cannot write a member of the
 * wrong JSON type, so the SerializationException cases go as raw HTTP.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class ExpressionErrorsThroughTheSdkTest extends DynamoTestBase {
    private static final String CASES = "/expression-errors.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** {{text*n}}: text written n times, $i in it counting 1..n (the file's header says so). */
    private static final Pattern REPEAT = Pattern.compile("\\{\\{(.*?)\\*(\\d+)}}");
    private static final String ITEMS_SCHEMA = "{\"pk\":\"S\"}";

    /** Tables by key schema, created once for the whole class: every case uses one of two. */
    private static final Map<String, String> TABLES = new HashMap<>();

    /** Each case as (name, line, JSON): strings only, so the arguments cross into Quarkus' class loader as they are. */
    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = ExpressionErrorsThroughTheSdkTest.class.getResourceAsStream(CASES)) {
            if (in == null) {
                throw new IllegalStateException(CASES + " is not on the test classpath (functions/pom.xml adds it)");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String section = null;
            int line = 0;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                line++;
                if (text.startsWith("## ")) {
                    section = text.substring(3).trim();
                } else if (!text.isBlank() && !text.startsWith("#")) {
                    String shown = text.length() > 90 ? text.substring(0, 90) + "..." : text;
                    cases.add(Arguments.of(section + ", line " + line + ": " + shown, line, text));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedAsDynamoDbRefusesIt(String name, int line, String json) throws Exception {
        ObjectNode c = (ObjectNode) JSON.readTree(json);
        String type = c.path("type").asText("ValidationException");
        String message = expand(c.get("message").asText());
        String key = "case-" + line;

        if (c.has("KeyConditionExpression")) {
            String table = table(c.get("keySchema").toString());
            assertRefused("Query", type, message, () -> dynamo.query(b -> b.tableName(table)
                    .keyConditionExpression(text(c, "KeyConditionExpression"))
                    .expressionAttributeNames(names(c)).expressionAttributeValues(values(c))));
            return;
        }
        String items = table(ITEMS_SCHEMA);
        if (c.has("ProjectionExpression")) {
            assertRefused("GetItem", type, message, () -> dynamo.getItem(b -> b.tableName(items)
                    .key(key(key)).projectionExpression(text(c, "ProjectionExpression"))
                    .expressionAttributeNames(names(c))));
            return;
        }

        // A write. A case with a stored item is refused inside the compare-and-set, once the item is
        // read: the item must be as it was. Any other case is refused before storage is touched: the
        // key it names has no item, and must still have none (an UpdateItem that wrote would create one).
        Map<String, AttributeValue> before = null;
        if (c.has("item")) {
            Map<String, AttributeValue> stored = new LinkedHashMap<>(key(key));
            stored.putAll(attributes(c.get("item")));
            dynamo.putItem(b -> b.tableName(items).item(stored));
            before = stored;
        }
        if (!"ValidationException".equals(type)) {
            assertRawPutItemRefused(items, key, c, type, message);
        } else if (c.has("UpdateExpression")) {
            assertRefused("UpdateItem", type, message, () -> dynamo.updateItem(b -> b.tableName(items).key(key(key))
                    .updateExpression(text(c, "UpdateExpression")).conditionExpression(text(c, "ConditionExpression"))
                    .expressionAttributeNames(names(c)).expressionAttributeValues(values(c))));
        } else {
            assertRefused("PutItem", type, message, () -> dynamo.putItem(b -> b.tableName(items).item(key(key))
                    .conditionExpression(text(c, "ConditionExpression"))
                    .expected(expected(c)).conditionalOperator(text(c, "ConditionalOperator"))
                    .expressionAttributeNames(names(c)).expressionAttributeValues(values(c))));
            assertRefused("UpdateItem", type, message, () -> dynamo.updateItem(b -> b.tableName(items).key(key(key))
                    .conditionExpression(text(c, "ConditionExpression"))
                    .expected(expected(c)).conditionalOperator(text(c, "ConditionalOperator"))
                    .expressionAttributeNames(names(c)).expressionAttributeValues(values(c))));
            assertRefused("DeleteItem", type, message, () -> dynamo.deleteItem(b -> b.tableName(items).key(key(key))
                    .conditionExpression(text(c, "ConditionExpression"))
                    .expected(expected(c)).conditionalOperator(text(c, "ConditionalOperator"))
                    .expressionAttributeNames(names(c)).expressionAttributeValues(values(c))));
        }
        var after = dynamo.getItem(b -> b.tableName(items).key(key(key)).consistentRead(true));
        assertEquals(before, after.hasItem() ? after.item() : null, "the item after the refused writes");
    }

    private static void assertRefused(String operation, String type, String message, Runnable request) {
        assertAll(operation, () -> assertDynamoError(type, message, request));
    }

    /** PutItem as raw JSON: the case's members as written, which the SDK's typed model cannot carry. */
    private void assertRawPutItemRefused(String table, String key, ObjectNode c, String type, String message)
            throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("TableName", table);
        body.putObject("Item").putObject("pk").put("S", key);
        for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (Character.isUpperCase(e.getKey().charAt(0))) {
                body.set(e.getKey(), e.getValue());
            }
        }
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint.toString()))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810.PutItem")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode error = JSON.readTree(response.body());
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("com.amazon.coral.service#" + type, error.path("__type").asText(), response.body());
        assertEquals(message, error.path("Message").asText(), response.body());
    }

    private String table(String keySchema) {
        synchronized (TABLES) {
            return TABLES.computeIfAbsent(keySchema, this::createTable);
        }
    }

    private String createTable(String keySchema) {
        String name = uniqueName("expression-errors");
        List<KeySchemaElement> keys = new ArrayList<>();
        List<AttributeDefinition> definitions = new ArrayList<>();
        try {
            JSON.readTree(keySchema).fields().forEachRemaining(e -> {
                keys.add(KeySchemaElement.builder().attributeName(e.getKey())
                        .keyType(keys.isEmpty() ? KeyType.HASH : KeyType.RANGE).build());
                definitions.add(AttributeDefinition.builder().attributeName(e.getKey())
                        .attributeType(e.getValue().asText()).build());
            });
        } catch (IOException e) {
            throw new IllegalArgumentException(keySchema, e);
        }
        dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST).keySchema(keys)
                .attributeDefinitions(definitions));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        return name;
    }

    // --- the case's members in the SDK's model ---------------------------------------------------

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    static String expand(String text) {
        Matcher m = REPEAT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            StringBuilder repeated = new StringBuilder();
            for (int i = 1; i <= Integer.parseInt(m.group(2)); i++) {
                repeated.append(m.group(1).replace("$i", Integer.toString(i)));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(repeated.toString()));
        }
        return m.appendTail(out).toString();
    }

    /** An expression or enum member, expanded; null (not sent) when the case does not give it. */
    private static String text(JsonNode c, String member) {
        return c.has(member) ? expand(c.get(member).asText()) : null;
    }

    private static Map<String, String> names(JsonNode c) {
        JsonNode node = c.get("ExpressionAttributeNames");
        if (node == null) {
            return null;
        }
        Map<String, String> names = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue().asText()));
        return names;
    }

    private static Map<String, AttributeValue> values(JsonNode c) {
        JsonNode node = c.get("ExpressionAttributeValues");
        return node == null ? null : attributes(node);
    }

    /** A map of names to values in DynamoDB's JSON: an item, a map value, ExpressionAttributeValues. */
    private static Map<String, AttributeValue> attributes(JsonNode node) {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> attributes.put(e.getKey(), value(e.getValue())));
        return attributes;
    }

    private static Map<String, ExpectedAttributeValue> expected(JsonNode c) {
        JsonNode node = c.get("Expected");
        if (node == null) {
            return null;
        }
        Map<String, ExpectedAttributeValue> expected = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            JsonNode x = e.getValue();
            ExpectedAttributeValue.Builder b = ExpectedAttributeValue.builder();
            if (x.has("Value")) {
                b.value(value(x.get("Value")));
            }
            if (x.has("Exists")) {
                b.exists(x.get("Exists").asBoolean());
            }
            if (x.has("ComparisonOperator")) {
                b.comparisonOperator(x.get("ComparisonOperator").asText());
            }
            if (x.has("AttributeValueList")) {
                b.attributeValueList(list(x.get("AttributeValueList")));
            }
            expected.put(e.getKey(), b.build());
        });
        return expected;
    }

    /** A value in DynamoDB's JSON; {} is a value with no type at all, which the SDK sends as {}. */
    private static AttributeValue value(JsonNode node) {
        if (node.isEmpty()) {
            return AttributeValue.builder().build();
        }
        Map.Entry<String, JsonNode> e = node.fields().next();
        JsonNode v = e.getValue();
        return switch (e.getKey()) {
            case "S" -> AttributeValue.fromS(v.asText());
            case "N" -> AttributeValue.fromN(v.asText());
            case "B" -> AttributeValue.fromB(bytes(v));
            case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
            case "NULL" -> AttributeValue.fromNul(v.asBoolean());
            case "SS" -> AttributeValue.fromSs(texts(v));
            case "NS" -> AttributeValue.fromNs(texts(v));
            case "BS" -> {
                List<SdkBytes> set = new ArrayList<>();
                v.forEach(b -> set.add(bytes(b)));
                yield AttributeValue.fromBs(set);
            }
            case "L" -> AttributeValue.fromL(list(v));
            case "M" -> AttributeValue.fromM(attributes(v));
            default -> throw new IllegalArgumentException("not an attribute value: " + node);
        };
    }

    private static SdkBytes bytes(JsonNode base64) {
        return SdkBytes.fromByteArray(Base64.getDecoder().decode(base64.asText()));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }

    private static List<AttributeValue> list(JsonNode array) {
        List<AttributeValue> list = new ArrayList<>();
        array.forEach(v -> list.add(value(v)));
        return list;
    }
}
