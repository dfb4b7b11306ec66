package dev.eddy.local;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tracing turned on as an operator would (the OpenTelemetry SDK on, an OTLP collector named): the
 * spans reach the collector, named after the operations, with the error type of a refused request,
 * and a stream record's publication is a span of its own. The collector here is a plain HTTP
 * endpoint that keeps what the exporter posts (OTLP over HTTP, protobuf: span names and attribute
 * values appear in it as UTF-8).
 */
class TracingIT {
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @Test
    void requestsAndStreamRecordsReachTheCollectorAsSpans() throws Exception {
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                synchronized (received) {
                    received.write(body);
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        Path work = Files.createTempDirectory("eddy-tracing");
        Map<String, String> config = new HashMap<>(LocalApp.embeddedPorts());
        config.put("eddy.data-dir", work.resolve("data").toString());
        config.put("quarkus.otel.sdk.disabled", "false");
        config.put("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
        config.put("quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort());
        config.put("quarkus.otel.bsp.schedule.delay", "100ms");
        try (LocalApp app = LocalApp.start(work, config); DynamoDbClient client = app.client()) {
            client.createTable(b -> b.tableName("Traced")
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .billingMode("PAY_PER_REQUEST")
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
            client.putItem(b -> b.tableName("Traced").item(Map.of("id", AttributeValue.fromS("a"))));
            client.getItem(b -> b.tableName("Traced").key(Map.of("id", AttributeValue.fromS("a"))));
            assertThrows(ResourceNotFoundException.class,
                    () -> client.getItem(b -> b.tableName("Missing").key(Map.of("id", AttributeValue.fromS("a")))));
            awaitSpans(app, "DynamoDB.PutItem", "DynamoDB.GetItem", "DynamoDB.CreateTable", "ResourceNotFoundException",
                    "aws-api", "publish eddy.stream.");
            assertFalse(app.output().contains("Failed to export"), app.output());
        } finally {
            collector.stop(0);
        }
    }

    private void awaitSpans(LocalApp app, String... texts) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String seen = "";
        while (System.nanoTime() < deadline) {
            synchronized (received) {
                seen = received.toString(StandardCharsets.ISO_8859_1);
            }
            boolean all = true;
            for (String text : texts) {
                all &= seen.contains(text);
            }
            if (all) {
                return;
            }
            Thread.sleep(200);
        }
        StringBuilder missing = new StringBuilder();
        for (String text : texts) {
            if (!seen.contains(text)) {
                missing.append(' ').append(text);
            }
        }
        fail("spans not exported:" + missing + "\n" + app.output());
    }
}
