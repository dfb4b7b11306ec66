package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP front (issue 18, part 4; issue 17, item 11): DynamoDB's requests are served ahead of the
 * web router; {@code GET /} answers DynamoDB's health line; CORS preflight and headers as DynamoDB
 * sends them; a body over the endpoint's limit is refused with 413 (DynamoDB's 16 MB message) before
 * it is processed, and the connection closed after it; a client that goes away mid-request is no
 * error in the log.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class WireFrontTest extends DynamoTestBase {
    private final HttpClient http = HttpClient.newHttpClient();

    @Inject
    FrontHook hook;

    @Test
    void dynamoDbRequestsAreServedAheadOfTheRouter() {
        assertTrue(hook.ahead(), "the front wraps the HTTP server's root handler");
        String table = createTable("front", "pk", ScalarAttributeType.S, null, null);
        dynamo.putItem(p -> p.tableName(table).item(Map.of("pk", AttributeValue.fromS("a"), "v", AttributeValue.fromN("1"))));
        long before = WireFront.answeredWithoutWorker();
        assertEquals("1", dynamo.getItem(g -> g.tableName(table).key(Map.of("pk", AttributeValue.fromS("a"))))
                .item().get("v").n());
        assertEquals(before + 1, WireFront.answeredWithoutWorker());
    }

    @Test
    void getSlashAnswersDynamoDbsHealthLine() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("healthy: dynamodb.us-east-1.amazonaws.com ", r.body());
        assertEquals(52, r.headers().firstValue("x-amzn-RequestId").orElseThrow().length());
        CRC32 crc = new CRC32();
        crc.update(r.body().getBytes(StandardCharsets.UTF_8));
        assertEquals(Long.toString(crc.getValue()), r.headers().firstValue("x-amz-crc32").orElseThrow());
        assertEquals(404, http.send(HttpRequest.newBuilder(uri("/elsewhere")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "only / is the health line");
    }

    @Test
    void corsPreflightAllowsWhatIsAskedAndResponsesExposeDynamoDbsHeaders() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(uri("/"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-date,authorization")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("POST", preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
        assertEquals("content-type,x-amz-target,x-amz-date,authorization",
                preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Max-Age").isPresent());

        HttpResponse<String> call = http.send(HttpRequest.newBuilder(uri("/"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Origin", "http://example.com")
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, call.statusCode());
        assertEquals("*", call.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
                call.headers().firstValue("Access-Control-Expose-Headers").orElse(null));
        assertFalse(call.headers().firstValue("Access-Control-Max-Age").isPresent(), "only a preflight has Max-Age");

        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(uri("/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertNull(plain.headers().firstValue("Access-Control-Allow-Origin").orElse(null), "no Origin, no CORS");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413AndTheConnectionClosedAfterIt() throws Exception {
        try (Socket s = new Socket(endpoint.getHost(), endpoint.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "X-Amz-Target: DynamoDB_20120810.BatchWriteItem\r\nContent-Length: " + (64L << 20) + "\r\n\r\n{\"Req")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readUntil(s.getInputStream(), "16 MB");
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.toLowerCase().contains("connection: close"), answer);
            assertTrue(answer.contains("BatchWriteItem request size has exceeded the maximum allowed size of 16 MB"), answer);
        }
    }

    @Test
    void aClientThatGoesAwayMidRequestIsNoErrorInTheLog() throws Exception {
        List<LogRecord> errors = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            for (String path : List.of("/", "/GetItem")) {
                try (Socket s = new Socket(endpoint.getHost(), endpoint.getPort())) {
                    s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/json\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\n"
                            + "Content-Length: 5000\r\n\r\n{\"TableName\":").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                }
            }
            // the server still serves, and has said nothing at ERROR about the clients that left
            assertEquals(200, http.send(HttpRequest.newBuilder(uri("/")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            Thread.sleep(500);
            assertEquals(List.of(), errors.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
        } finally {
            root.removeHandler(capture);
        }
    }

    private URI uri(String path) {
        return URI.create(endpoint.toString().replaceAll("/$", "") + path);
    }

    /** What the server sends, up to the text looked for (or until it closes the connection). */
    private static String readUntil(InputStream in, String text) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while (!all.toString(StandardCharsets.UTF_8).contains(text) && (n = in.read(buffer)) > 0) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
