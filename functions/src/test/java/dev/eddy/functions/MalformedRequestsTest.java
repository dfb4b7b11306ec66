package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The requests that got a 500 before (the fuzzer's first regression cases), written out as raw
 * HTTP: each now gets a DynamoDB error with HTTP 400, and nothing is stored. Also text that is not
 * well-formed (overlong UTF-8, a lone surrogate escaped in JSON) is refused with DynamoDB's
 * SerializationException rather than stored as a key.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class MalformedRequestsTest extends DynamoTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Answer(int status, JsonNode body) {
    }

    /** Sends the bytes as they are on one connection and reads the answer. */
    private Answer raw(byte[] request) throws Exception {
        try (Socket s = new Socket(endpoint.getHost(), endpoint.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                all.write(buffer, 0, n);
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            String body = text.substring(text.indexOf("\r\n\r\n") + 4);
            return new Answer(status, body.isEmpty() ? null : JSON.readTree(body));
        }
    }

    private static byte[] request(String head, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((head + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void serializationError(Answer a) {
        assertEquals(400, a.status(), String.valueOf(a.body()));
        assertEquals("com.amazon.coral.service#SerializationException", a.body().path("__type").asText(),
                String.valueOf(a.body()));
    }

    @Test
    void anHttp11RequestWithoutHostIsABadRequest() throws Exception {
        Answer a = raw(request("POST / HTTP/1.1\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
                + "Content-Type: application/x-amz-json-1.0\r\n", "{}".getBytes()));
        serializationError(a);
        assertEquals("HTTP/1.1 requests must have a Host header", a.body().path("Message").asText());
    }

    @Test
    void aStructuredCloudEventThatIsNotOneIsABadRequest() throws Exception {
        serializationError(raw(request("POST / HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/cloudevents+json\r\n", "{\"a\":\"b\"}".getBytes())));
        serializationError(raw(request("POST / HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/cloudevents+json\r\n", "{nope".getBytes())));
    }

    @Test
    void aBinaryCloudEventWithAMalformedBodyIsABadRequest() throws Exception {
        serializationError(raw(request("POST / HTTP/1.1\r\nHost: localhost\r\nce-specversion: 1.0\r\nce-id: 1\r\n"
                + "ce-source: test\r\nce-type: PutItem\r\nContent-Type: application/json\r\n", "{nope".getBytes())));
    }

    @Test
    void textThatIsNotWellFormedIsRefusedAndNotStored() throws Exception {
        String table = createTable("utf8", "pk", ScalarAttributeType.S, null, null);
        String prefix = "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"";
        byte[] overlong = concat(prefix.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC0, (byte) 0xAF},
                "\"}}}".getBytes(StandardCharsets.UTF_8));
        String wire = "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\n"
                + "Content-Type: application/x-amz-json-1.0\r\n";
        serializationError(raw(request(wire, overlong)));
        serializationError(raw(request(wire, (prefix + "\\ud800\"}}}").getBytes(StandardCharsets.UTF_8))));
        String function = "POST /PutItem HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
        serializationError(raw(request(function, overlong)));
        serializationError(raw(request(function, (prefix + "\\udfff\"}}}").getBytes(StandardCharsets.UTF_8))));
        assertEquals(0, dynamo.scan(b -> b.tableName(table).consistentRead(true)).count());
        assertTrue(dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("/")))).item().isEmpty());

        // A real pair of surrogates is a character like any other.
        Answer ok = raw(request(wire, (prefix + "\\ud83d\\ude00\"}}}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, ok.status(), String.valueOf(ok.body()));
        assertEquals(1, dynamo.scan(b -> b.tableName(table).consistentRead(true)).count());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
