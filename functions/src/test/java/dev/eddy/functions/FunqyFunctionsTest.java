package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every operation is also a Funqy function: {@code POST /PutItem} with DynamoDB's JSON body, and a
 * CloudEvent whose type is the operation. Both reach the same operations as the wire protocol and
 * get the same errors.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class FunqyFunctionsTest extends DynamoTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint.toString().replaceAll("/$", "") + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void plainFunctionPathRunsTheOperation() throws Exception {
        String table = createTable("funqy", "pk", ScalarAttributeType.S, null, null);
        HttpResponse<String> put = post("/PutItem", Map.of("Content-Type", "application/json"),
                "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"k\"},\"n\":{\"N\":\"007\"}}}");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("7", dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("k")))).item().get("n").n());

        HttpResponse<String> get = post("/GetItem", Map.of("Content-Type", "application/json"),
                "{\"TableName\":\"" + table + "\",\"Key\":{\"pk\":{\"S\":\"k\"}},\"ConsistentRead\":true}");
        assertEquals(200, get.statusCode(), get.body());
        assertEquals("7", JSON.readTree(get.body()).at("/Item/n/N").asText());
    }

    @Test
    void cloudEventRunsTheOperationNamedByItsType() throws Exception {
        String table = createTable("cloudevent", "pk", ScalarAttributeType.S, null, null);
        HttpResponse<String> put = post("/", Map.of("Content-Type", "application/json", "ce-specversion", "1.0",
                        "ce-id", "1", "ce-source", "test", "ce-type", "PutItem"),
                "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"ce\"}}}");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(true, dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("ce")))).hasItem());
    }

    @Test
    void functionErrorsAreDynamoDbErrors() throws Exception {
        HttpResponse<String> missing = post("/DescribeTable", Map.of("Content-Type", "application/json"),
                "{\"TableName\":\"nowhere\"}");
        assertEquals(400, missing.statusCode(), missing.body());
        JsonNode body = JSON.readTree(missing.body());
        assertEquals("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", body.get("__type").asText());
        assertEquals("Requested resource not found: Table: nowhere not found", body.get("message").asText());

        HttpResponse<String> invalid = post("/PutItem", Map.of("Content-Type", "application/json"), "{}");
        assertEquals(400, invalid.statusCode(), invalid.body());
        assertEquals("com.amazon.coral.validate#ValidationException", JSON.readTree(invalid.body()).get("__type").asText());

        HttpResponse<String> garbage = post("/PutItem", Map.of("Content-Type", "application/json"), "{not json");
        assertEquals(400, garbage.statusCode(), garbage.body());
        assertEquals("com.amazon.coral.service#SerializationException", JSON.readTree(garbage.body()).get("__type").asText());

        // Funqy itself answered a call with no body with a 500 (a NullPointerException inside).
        for (String none : new String[] {"", "  "}) {
            HttpResponse<String> empty = post("/PutItem", Map.of("Content-Type", "application/json"), none);
            assertEquals(400, empty.statusCode(), empty.body());
            assertEquals("com.amazon.coral.service#SerializationException", JSON.readTree(empty.body()).get("__type").asText());
        }
    }

    /** Non-key attribute names may have 65 535 bytes on every path, where Jackson's default stops at 50 000. */
    @Test
    void longAttributeNamesAsOnTheWirePath() throws Exception {
        String table = createTable("funqynames", "pk", ScalarAttributeType.S, null, null);
        String name = "n".repeat(65_535);
        HttpResponse<String> put = post("/PutItem", Map.of("Content-Type", "application/json"),
                "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"plain\"},\"" + name + "\":{\"S\":\"v\"}}}");
        assertEquals(200, put.statusCode(), put.body());
        HttpResponse<String> event = post("/", Map.of("Content-Type", "application/json", "ce-specversion", "1.0",
                        "ce-id", "2", "ce-source", "test", "ce-type", "PutItem"),
                "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"event\"},\"" + name + "\":{\"S\":\"v\"}}}");
        assertEquals(200, event.statusCode(), event.body());
        for (String pk : new String[] {"plain", "event"}) {
            assertEquals("v", dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS(pk)))).item().get(name).s());
        }
    }
}
