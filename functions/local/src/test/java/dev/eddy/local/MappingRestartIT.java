package dev.eddy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * An event source mapping created with the AWS CLI survives a graceful restart and a kill -9 of the
 * packaged local app: it is kept in the cluster, runs again at start with no command, resumes where
 * its function got to (no change delivered twice, none lost).
 */
class MappingRestartIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aMappingSurvivesRestartsAndResumesWhereItGotTo() throws Exception {
        Path work = Files.createTempDirectory("eddy-mapping-restart");
        Map<String, String> config = new java.util.HashMap<>(LocalApp.embeddedPorts());
        config.put("eddy.data-dir", work.resolve("eddy-data").toString());
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer function = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        function.createContext("/f", exchange -> {
            JsonNode batch = JSON.readTree(exchange.getRequestBody().readAllBytes());
            batch.path("Records").forEach(r -> received.add(r.path("dynamodb").path("Keys").path("pk").path("S").asText()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        function.start();
        String url = "http://127.0.0.1:" + function.getAddress().getPort() + "/f";
        String uuid;
        try (LocalApp first = LocalApp.start(work, config); DynamoDbClient c = first.client()) {
            c.createTable(b -> b.tableName("Mapped").billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
            c.waiter().waitUntilTableExists(r -> r.tableName("Mapped"));
            String arn = c.describeTable(r -> r.tableName("Mapped")).table().latestStreamArn();
            uuid = cli(first, "create-event-source-mapping", "--event-source-arn", arn, "--function-name", url,
                    "--starting-position", "TRIM_HORIZON").path("UUID").asText();
            put(c, "a");
            await(received, List.of("a"));
            first.stop();
        }
        try (LocalApp second = LocalApp.start(work, config); DynamoDbClient c = second.client()) {
            put(c, "b");
            await(received, List.of("a", "b"));
            assertEquals("Enabled", cli(second, "get-event-source-mapping", "--uuid", uuid).path("State").asText());
            second.kill();
        }
        try (LocalApp third = LocalApp.start(work, config); DynamoDbClient c = third.client()) {
            put(c, "c");
            await(received, List.of("a", "b", "c"));
        } finally {
            function.stop(0);
        }
    }

    private static void put(DynamoDbClient c, String pk) {
        c.putItem(r -> r.tableName("Mapped").item(Map.of("pk", AttributeValue.fromS(pk))));
    }

    private static void await(List<String> received, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (received.size() < expected.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(500);
        assertEquals(expected, new ArrayList<>(received), "each change delivered once, in order");
    }

    private static JsonNode cli(LocalApp app, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "lambda"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", app.endpoint().toString(), "--output", "json"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // AWS CLI version 1 fetches a parameter that starts with http:// unless told not to (version 2 does not)
        Path config = Files.createTempFile("aws-config", "");
        Files.writeString(config, "[default]\ncli_follow_urlparam = false\n");
        pb.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
                "AWS_DEFAULT_REGION", "us-east-1", "AWS_CONFIG_FILE", config.toString()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() == 0, "aws lambda " + String.join(" ", args) + ": " + out);
        return JSON.readTree(out);
    }
}
