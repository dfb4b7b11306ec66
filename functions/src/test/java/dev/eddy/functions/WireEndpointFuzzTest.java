package dev.eddy.functions;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The wire endpoint as a client reaches it: raw HTTP requests built from a fuzz input's bytes (the
 * route, X-Amz-Target, content type, CloudEvent headers, Host, the body) sent to the application.
 * Every answer must be a whole HTTP response with a status below 500, within the timeout (no hang),
 * and a refused write must leave the fuzz table as it was (no partial write). Its corpus
 * ({@code WireEndpointFuzzTestInputs/}: the regression cases and a seed per route) runs with the
 * tests. Quarkus's test extension runs the method itself, so Jazzer's fuzzing loop cannot run here;
 * it runs one level down, on the same bodies, in {@link OperationsFuzzTest}.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class WireEndpointFuzzTest {
    static final String TABLE = "fuzz";
    private static final List<String> OPERATIONS = List.of("PutItem", "GetItem", "UpdateItem", "DeleteItem", "Query",
            "Scan", "BatchWriteItem", "BatchGetItem", "TransactWriteItems", "TransactGetItems", "ExecuteStatement",
            "BatchExecuteStatement", "ExecuteTransaction", "DescribeTable", "ListTables", "CreateTable", "UpdateTable");
    private static final List<String> WRITES = List.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
            "TransactWriteItems", "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction");
    private static final List<String> CONTENT_TYPES = List.of("application/x-amz-json-1.0", "application/json",
            "application/cloudevents+json", "application/x-amz-json-1.1", "text/plain");

    @TestHTTPResource("/")
    URL endpoint;

    @BeforeEach
    void fuzzTable() throws Exception {
        try (DynamoDbClient dynamo = DynamoTestBase.client(endpoint.toURI())) {
            try {
                dynamo.createTable(b -> b.tableName(TABLE).billingMode("PAY_PER_REQUEST")
                        .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                        .attributeDefinitions(d -> d.attributeName("pk").attributeType("S"),
                                d -> d.attributeName("sk").attributeType("N")));
                dynamo.waiter().waitUntilTableExists(r -> r.tableName(TABLE));
                dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("k1"),
                        "sk", AttributeValue.fromN("1"), "a", AttributeValue.fromS("x"))));
            } catch (ResourceInUseException exists) {
                // made by an earlier run in this JVM
            }
        }
    }

    /** A cursor over the fuzzer's bytes: small choices from the front, the body is what remains. */
    private static final class Input {
        private final byte[] data;
        private int at;

        Input(byte[] data) {
            this.data = data;
        }

        int choose(int n) {
            return at < data.length ? (data[at++] & 0xff) % n : 0;
        }

        byte[] rest() {
            return java.util.Arrays.copyOfRange(data, Math.min(at, data.length), data.length);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void requests(byte[] data) throws Exception {
        URI uri = endpoint.toURI();
        Input in = new Input(data);
        String operation = OPERATIONS.get(in.choose(OPERATIONS.size()));
        int route = in.choose(4); // the wire protocol, the function path, a binary CloudEvent, no target
        String contentType = CONTENT_TYPES.get(in.choose(CONTENT_TYPES.size()));
        boolean http10 = in.choose(8) == 0;
        boolean host = in.choose(16) != 0 || http10;
        byte[] body = in.rest();
        StringBuilder head = new StringBuilder("POST ").append(route == 1 ? "/" + operation : "/")
                .append(http10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
        if (host) {
            head.append("Host: localhost\r\n");
        }
        head.append("Content-Type: ").append(contentType).append("\r\n");
        if (route == 0) {
            head.append("X-Amz-Target: DynamoDB_20120810.").append(operation).append("\r\n");
        } else if (route == 2) {
            head.append("ce-specversion: 1.0\r\nce-id: 1\r\nce-source: fuzz\r\nce-type: ").append(operation).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");

        String before = WRITES.contains(operation) ? snapshot(uri) : null;
        int status = send(uri, head.toString().getBytes(StandardCharsets.US_ASCII), body);
        assertTrue(status < 500, "status " + status + " for " + operation + " route " + route + ": "
                + new String(body, StandardCharsets.UTF_8));
        if (before != null && status >= 400) {
            assertEquals(before, snapshot(uri), "a refused " + operation + " changed the table");
        }
    }

    /** The table's items, read consistently, as the wire protocol returns them. */
    private static String snapshot(URI uri) throws Exception {
        byte[] body = ("{\"TableName\":\"" + TABLE + "\",\"ConsistentRead\":true}").getBytes(StandardCharsets.UTF_8);
        String head = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
                + "X-Amz-Target: DynamoDB_20120810.Scan\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        int status = exchange(uri, head.getBytes(StandardCharsets.US_ASCII), body, response);
        String text = response.toString(StandardCharsets.UTF_8);
        assertEquals(200, status, text);
        return text.substring(text.indexOf("\r\n\r\n") + 4);
    }

    private static int send(URI uri, byte[] head, byte[] body) throws Exception {
        return exchange(uri, head, body, new ByteArrayOutputStream());
    }

    /** One request on its own connection; the status of a whole response, read to its end. */
    private static int exchange(URI uri, byte[] head, byte[] body, ByteArrayOutputStream response) throws Exception {
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                response.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException hang) {
            fail("no answer within 30 s: " + new String(head, StandardCharsets.US_ASCII));
        }
        String text = response.toString(StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("HTTP/1."), "not an HTTP response: " + text);
        int end = text.indexOf("\r\n\r\n");
        assertTrue(end > 0, "a response cut short: " + text);
        String length = text.substring(0, end).toLowerCase(java.util.Locale.ROOT).lines()
                .filter(l -> l.startsWith("content-length:")).findFirst().orElse(null);
        if (length != null) {
            assertEquals(Integer.parseInt(length.substring(15).trim()), response.size() - end - 4, "a body cut short");
        }
        return Integer.parseInt(text.substring(9, 12));
    }
}
