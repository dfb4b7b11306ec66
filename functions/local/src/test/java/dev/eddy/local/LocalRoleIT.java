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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local app (bin/eddy) with no configuration but ports runs every role in one process: its
 * embedded Infinispan node and Kafka broker, the DynamoDB endpoint, and the probes.
 */
class LocalRoleIT {
    @Test
    void theLocalAppRunsEveryRoleWithItsEmbeddedStack() throws Exception {
        Path work = Files.createTempDirectory("eddy-local-role");
        Map<String, String> config = new HashMap<>(LocalApp.embeddedPorts());
        config.put("eddy.data-dir", work.resolve("data").toString());
        try (LocalApp app = LocalApp.start(work, config); DynamoDbClient client = app.client()) {
            client.listTables();
            assertTrue(app.output().contains("Eddy: embedded dev stack, data in " + work.resolve("data")), app.output());
            // DescribeEndpoints names where this app is reached, not DynamoDB's regional endpoint.
            assertEquals("localhost:" + app.endpoint().getPort(), client.describeEndpoints(b -> { }).endpoints().get(0).address());
            HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(app.endpoint() + "/q/health/live")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode(), live.body());
            assertTrue(live.body().replaceAll("\\s", "").contains("\"role\":\"all\""), live.body());
        }
    }
}
