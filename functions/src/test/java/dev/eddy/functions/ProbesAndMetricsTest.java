package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probes a pod is checked by ({@code /q/health/ready}: Infinispan answers, the catalog is open,
 * Kafka answers; {@code /q/health/live}) and the metrics Prometheus scrapes from {@code /q/metrics}:
 * per operation requests, errors by type and latency for the wire endpoint and the functions, the
 * near cache's hits, and whatever meters the engine keeps.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaBroker.class, restrictToAnnotatedClass = false)
class ProbesAndMetricsTest extends DynamoTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Inject
    EddyRuntime runtime;

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.toString().replaceAll("/$", "") + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessChecksInfinispanAndKafkaAndLivenessTheProcess() throws Exception {
        HttpResponse<String> ready = get("/q/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode checks = JSON.readTree(ready.body()).get("checks");
        assertEquals("UP", JSON.readTree(ready.body()).get("status").asText(), ready.body());
        assertTrue(ready.body().contains("\"infinispan\"") && ready.body().contains("\"kafka\""), ready.body());
        for (JsonNode check : checks) {
            assertEquals("UP", check.get("status").asText(), check.toString());
        }
        HttpResponse<String> live = get("/q/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertTrue(live.body().contains("\"eddy\""), live.body());
    }

    @Test
    void metricsCountEachOperationItsErrorsAndLatencyAndTheEnginesMeters() throws Exception {
        String table = createTable("metrics", "pk", ScalarAttributeType.S, null, null);
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k"))));
        for (int i = 0; i < 5; i++) {
            dynamo.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("k"))));
        }
        assertThrows(ResourceNotFoundException.class, () -> dynamo.describeTable(r -> r.tableName("no-such-table")));
        HttpResponse<String> function = http.send(HttpRequest.newBuilder(
                        URI.create(endpoint.toString().replaceAll("/$", "") + "/GetItem"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"TableName\":\"" + table + "\",\"Key\":{\"pk\":{\"S\":\"k\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, function.statusCode(), function.body());
        // a meter the engine creates after start shows up at the next scrape, under eddy.<its name>
        AtomicLong widgets = new AtomicLong(7);
        runtime.eddy().meters().counter("test.probe.widgets", "table", table).add(3);
        runtime.eddy().meters().gauge("test.probe.backlog", widgets::get, "table", table);

        String metrics = get("/q/metrics").body();
        assertTrue(count(metrics, "eddy_requests_total{operation=\"GetItem\",transport=\"wire\"}") >= 5, metrics);
        assertTrue(count(metrics, "eddy_requests_total{operation=\"GetItem\",transport=\"function\"}") >= 1, metrics);
        assertTrue(count(metrics, "eddy_errors_total{operation=\"DescribeTable\",transport=\"wire\","
                + "type=\"ResourceNotFoundException\"}") >= 1, metrics);
        assertTrue(metrics.contains("eddy_request_duration_seconds_bucket{operation=\"PutItem\",transport=\"wire\",le="),
                "latency histogram");
        assertTrue(count(metrics, "eddy_near_cache_hits_total") >= 1, "near-cache hits: " + metrics);
        assertTrue(metrics.contains("eddy_near_cache_hit_ratio "), metrics);
        // the core's own meters, named eddy.* there, keep their names
        assertTrue(count(metrics, "eddy_storage_requests") >= 1, metrics);
        assertFalse(metrics.contains("eddy_eddy_"), metrics);
        assertEquals(3, count(metrics, "eddy_test_probe_widgets_total{table=\"" + table + "\"}"), metrics);
        assertEquals(7, count(metrics, "eddy_test_probe_backlog{table=\"" + table + "\"}"), metrics);

        runtime.eddy().meters().removeGauge("test.probe.backlog", "table", table);
        assertTrue(!get("/q/metrics").body().contains("eddy_test_probe_backlog{table=\"" + table + "\"}"),
                "a gauge the engine removed is gone from the scrape");
    }

    /** The value of the one series that line starts with, or -1. */
    private static double count(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return -1;
    }
}
