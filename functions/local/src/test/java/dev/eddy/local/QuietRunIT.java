package dev.eddy.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log of an ordinary session (issue 17, item 12): a request body that is not JSON is refused
 * with SerializationException in one line, not a stack trace; a graceful stop (SIGTERM, as Ctrl-C)
 * after writes with a stream, and after a table that was read was deleted, logs no ERROR.
 */
class QuietRunIT {
    private static final String REFUSALS = "dev.eddy.functions.MalformedRequests";

    @Test
    void badBodiesAndAGracefulStopLeaveNoErrorInTheLog() throws Exception {
        Path work = Files.createTempDirectory("eddy-quiet");
        Map<String, String> config = new HashMap<>(LocalApp.embeddedPorts());
        config.put("eddy.data-dir", work.resolve("data").toString());
        // The refusals' line is DEBUG: shown here so that it can be counted.
        config.put("quarkus.log.category.\"" + REFUSALS + "\".level", "DEBUG");
        LocalApp app = LocalApp.start(work, config);
        try (DynamoDbClient client = app.client()) {
            client.createTable(c -> c.tableName("Quiet").billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
            client.waiter().waitUntilTableExists(r -> r.tableName("Quiet"));
            for (int i = 0; i < 20; i++) {
                String pk = "item" + i;
                client.putItem(p -> p.tableName("Quiet").item(Map.of("pk", AttributeValue.fromS(pk))));
            }

            // A table read eventually consistently (its near cache listens to the servers), then deleted.
            client.createTable(c -> c.tableName("Gone").billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
            client.waiter().waitUntilTableExists(r -> r.tableName("Gone"));
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("a"));
            client.putItem(p -> p.tableName("Gone").item(key));
            assertTrue(client.getItem(g -> g.tableName("Gone").key(key)).hasItem());
            client.deleteTable(d -> d.tableName("Gone"));
            client.waiter().waitUntilTableNotExists(r -> r.tableName("Gone"));

            HttpClient http = HttpClient.newHttpClient();
            for (String body : new String[] {"{not json", ""}) {
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(app.endpoint() + "/PutItem"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(400, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("SerializationException"), refused.body());
            }
        } finally {
            app.stop();
        }
        String out = app.output();
        assertEquals(2, out.lines().filter(l -> l.contains(REFUSALS)).count(), out);
        assertFalse(out.contains("\tat "), out);
        assertFalse(out.contains(" ERROR "), out);
        assertTrue(out.contains("stopped in"), "the app stopped by itself: " + out);
    }
}
