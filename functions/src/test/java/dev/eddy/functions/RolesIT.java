package dev.eddy.functions;

import dev.eddy.devstack.EmbeddedInfinispan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged function in each role: the function role serves requests and starts nothing else
 * (no embedded stack, no triggers) and stops with a clear message without Infinispan servers; the
 * maintenance role answers DynamoDB requests with 503 and serves its probes and metrics.
 */
class RolesIT {
    private static EmbeddedInfinispan node;
    private static String servers;
    private static Path work;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startNode() throws Exception {
        work = Files.createTempDirectory("eddy-roles");
        node = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(work.resolve("infinispan"), 0));
        servers = node.hotRodAddress();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    /** The function artifact carries no server or broker: those are the dev stack's (the local app's). */
    @Test
    void theFunctionArtifactHoldsNoKafkaBrokerScalaOrInfinispanServer() throws Exception {
        Path lib = AppProcess.jar().toAbsolutePath().getParent().resolve("lib/main");
        assertTrue(Files.isDirectory(lib), lib.toString());
        try (var jars = Files.list(lib)) {
            List<String> servers = jars.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("org.apache.kafka.kafka_") || n.startsWith("org.apache.kafka.kafka-server")
                            || n.startsWith("org.apache.kafka.kafka-raft") || n.startsWith("org.apache.kafka.kafka-metadata")
                            || n.startsWith("org.scala-lang.") || n.startsWith("org.infinispan.infinispan-server-")
                            || n.startsWith("org.infinispan.infinispan-core-"))
                    .toList();
            assertEquals(List.of(), servers);
        }
    }

    // These roles require signed requests unless told otherwise; the security tests cover that part.

    @Test
    void theFunctionStopsWithAClearMessageWithoutInfinispanServers() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AppProcess.start(AppProcess.jar(), work, Map.of("eddy.role", "function", "eddy.auth.enabled", "false"), List.of(), "-Xmx256m"));
        assertTrue(e.getMessage().contains("eddy.infinispan.servers (EDDY_INFINISPAN_SERVERS) is not set. This is the "
                + "function artifact"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), "a message, not a stack trace: " + e.getMessage());
    }

    @Test
    void theFunctionRoleServesRequestsAndStartsNothingElse() throws Exception {
        Map<String, String> config = Map.of("eddy.infinispan.servers", servers,
                "eddy.triggers.audit.table", "Orders", "eddy.triggers.audit.function-url", "http://127.0.0.1:9/audit",
                "eddy.public-endpoint", "eddy.example.internal:8443", "eddy.auth.enabled", "false");
        // role function is the default
        try (AppProcess app = AppProcess.start(AppProcess.jar(), work, config, List.of(), "-Xmx256m");
             DynamoDbClient client = app.client()) {
            client.listTables();
            assertEquals("eddy.example.internal:8443", client.describeEndpoints(b -> { }).endpoints().get(0).address());
            String out = app.output();
            assertTrue(out.contains("Eddy: role function"), out);
            assertFalse(out.contains("embedded dev stack") || out.contains("EmbeddedKafka"), out);
            assertTrue(out.contains("not dispatched in the function role"), out);
            assertFalse(out.contains("Trigger audit"), "no dispatcher started: " + out);
            assertEquals(200, get(app, "/q/health/ready").statusCode());
        }
    }

    @Test
    void theMaintenanceRoleRefusesRequestsAndServesProbesAndMetrics() throws Exception {
        try (AppProcess app = AppProcess.start(AppProcess.jar(), work,
                Map.of("eddy.infinispan.servers", servers, "eddy.role", "maintenance", "eddy.auth.enabled", "false"),
                List.of(), "-Xmx256m");
             DynamoDbClient client = app.client()) {
            DynamoDbException refused = assertThrows(DynamoDbException.class, client::listTables);
            assertEquals(503, refused.statusCode());
            assertEquals("ServiceUnavailable", refused.awsErrorDetails().errorCode());
            HttpResponse<String> function = http.send(HttpRequest.newBuilder(URI.create(app.endpoint() + "/ListTables"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, function.statusCode(), function.body());
            HttpResponse<String> ready = get(app, "/q/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(get(app, "/q/health/live").body().contains("maintenance"));
            assertEquals(200, get(app, "/q/metrics").statusCode());
            assertTrue(app.output().contains("Eddy: role maintenance"), app.output());
        }
    }

    private HttpResponse<String> get(AppProcess app, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.endpoint() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
