package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.api.Operation;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation in the registry is a Funqy function, by {@code POST /<Operation>} and by
 * CloudEvent (binary and structured mode), and a CloudEvent Eddy cannot read gets DynamoDB's
 * SerializationException with HTTP 400, never a 500.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class FunqyCoverageTest extends DynamoTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERIALIZATION = "com.amazon.coral.service#SerializationException";
    private final HttpClient http = HttpClient.newHttpClient();

    @Inject
    EddyRuntime runtime;

    private HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint.toString().replaceAll("/$", "") + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> binaryEvent(String type, String contentType) {
        Map<String, String> headers = new HashMap<>(Map.of("ce-specversion", "1.0", "ce-id", "1",
                "ce-source", "test", "ce-type", type));
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return headers;
    }

    @Test
    void everyRegisteredOperationIsAFunctionByPathAndByCloudEvent() throws Exception {
        List<String> operations = new ArrayList<>();
        runtime.eddy().operations().all().stream().map(dev.eddy.core.operation.Operations.Registered::name).forEach(operations::add);
        runtime.eddy().operations().streamsOperations().stream().map(dev.eddy.core.operation.Operations.Registered::name).forEach(operations::add);
        assertTrue(operations.size() >= 24, operations.toString());
        List<String> missing = new ArrayList<>();
        for (String operation : operations) {
            // {} is answered by the operation itself: a result or its own validation error, never "no such function"
            HttpResponse<String> byPath = post("/" + operation, Map.of("Content-Type", "application/json"), "{}");
            HttpResponse<String> byEvent = post("/", binaryEvent(operation, "application/json"), "{}");
            for (HttpResponse<String> r : List.of(byPath, byEvent)) {
                if (r.statusCode() == 404 || r.statusCode() >= 500 || !answeredByOperation(r)) {
                    missing.add(operation + " (" + r.request().uri().getPath() + " " + r.statusCode() + " " + r.body() + ")");
                }
            }
        }
        assertEquals(List.of(), missing, "registered operations without a Funqy function");
    }

    private static boolean answeredByOperation(HttpResponse<String> r) throws Exception {
        JsonNode body = JSON.readTree(r.body().isEmpty() ? "null" : r.body());
        return body != null && body.isObject() && (r.statusCode() == 200 || body.has("__type"));
    }

    @Test
    void structuredCloudEventRunsTheOperationNamedByItsType() throws Exception {
        String table = createTable("structured", "pk", ScalarAttributeType.S, null, null);
        String event = """
                {"specversion":"1.0","id":"42","source":"test","type":"PutItem","datacontenttype":"application/json",
                 "data":{"TableName":"%s","Item":{"pk":{"S":"structured"},"n":{"N":"1"}}}}""".formatted(table);
        HttpResponse<String> put = post("/", Map.of("Content-Type", "application/cloudevents+json"), event);
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("1", dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("structured")))).item().get("n").n());
    }

    @Test
    void aCloudEventThatIsNotJsonGetsSerializationException() throws Exception {
        String valid = "{\"TableName\":\"t\",\"Item\":{\"pk\":{\"S\":\"x\"}}}";
        assertSerializationError(post("/", binaryEvent("PutItem", null), valid), "binary, no content type");
        assertSerializationError(post("/", binaryEvent("PutItem", "text/plain"), valid), "binary, text/plain");
        assertSerializationError(post("/", binaryEvent("PutItem", "application/xml"), "<PutItem/>"), "binary, XML");
        assertSerializationError(post("/", binaryEvent("PutItem", "application/json"), "{not json"), "binary, not JSON");
        assertSerializationError(post("/", binaryEvent("PutItem", "application/json"), "[1,2]"), "binary, an array");
        assertSerializationError(post("/", Map.of("Content-Type", "application/cloudevents+json"), "{not json"),
                "structured, not JSON");
        assertSerializationError(post("/", Map.of("Content-Type", "application/cloudevents+json"),
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"t\",\"type\":\"PutItem\",\"data\":\"text\"}"),
                "structured, data not an object");
        assertSerializationError(post("/PutItem", Map.of("Content-Type", "text/plain"), valid), "plain path, text/plain");
    }

    private static void assertSerializationError(HttpResponse<String> r, String what) throws Exception {
        assertEquals(400, r.statusCode(), what + ": " + r.body());
        assertEquals(SERIALIZATION, JSON.readTree(r.body()).path("__type").asText(), what + ": " + r.body());
    }
}
