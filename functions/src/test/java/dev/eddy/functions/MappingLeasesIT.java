package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.eddy.devstack.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;

/**
 * The dispatcher deployed as the shape has it: a function-role process serves the Lambda API
 * and dispatches nothing; two maintenance-role processes run the mapping, one of them at a time under
 * its lease, so each change reaches the function once; the holder's metrics name the mapping; when
 * the holder is killed (SIGKILL) the other takes the mapping over and goes on from where it got to.
 */
class MappingLeasesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOOK = Pattern.compile("Took duty event-source-mapping:(\\S+) ");
    private static final InfinispanCluster cluster = new InfinispanCluster();
    private static final List<String> received = new CopyOnWriteArrayList<>();
    private static EmbeddedKafka kafka;
    private static HttpServer function;
    private static AppProcess front;
    private static final List<AppProcess> maintenance = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path work = Files.createTempDirectory("eddy-mapping-leases");
        String servers = cluster.startNodes(2);
        kafka = EmbeddedKafka.start(work.resolve("kafka"), 0);
        function = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        function.createContext("/f", exchange -> {
            JsonNode batch = JSON.readTree(exchange.getRequestBody().readAllBytes());
            batch.path("Records").forEach(r -> received.add(r.path("dynamodb").path("SequenceNumber").asText()
                    + " " + r.path("dynamodb").path("Keys").path("pk").path("S").asText()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        function.start();
        Map<String, String> common = Map.of("eddy.infinispan.servers", servers,
                "eddy.kafka.bootstrap-servers", kafka.bootstrapServers(), "eddy.auth.enabled", "false",
                "eddy.leases.duration", "PT3S",
                // A killed holder's consumer stays in the trigger's group for its whole session, longer
                // than the waits below: the next holder must take the partitions over without waiting for it.
                "eddy.kafka.client.session.timeout.ms", "120000");
        front = start(work, common, "function");
        for (int i = 0; i < 2; i++) {
            maintenance.add(start(work, common, "maintenance"));
        }
    }

    private static AppProcess start(Path work, Map<String, String> common, String role) throws Exception {
        Map<String, String> config = new java.util.HashMap<>(common);
        config.put("eddy.role", role);
        return AppProcess.start(AppProcess.jar(), work, config, List.of(), "-Xmx384m");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AppProcess a : maintenance) {
            a.close();
        }
        if (front != null) {
            front.close();
        }
        if (function != null) {
            function.stop(0);
        }
        if (kafka != null) {
            kafka.close();
        }
        cluster.stop();
    }

    @Test
    void oneMaintenanceProcessRunsTheMappingAndAnotherTakesItOver() throws Exception {
        String url = "http://127.0.0.1:" + function.getAddress().getPort() + "/f";
        try (DynamoDbClient dynamo = front.client(); LambdaClient lambda = lambda(front.endpoint())) {
            dynamo.createTable(b -> b.tableName("Leased").billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
            dynamo.waiter().waitUntilTableExists(r -> r.tableName("Leased"));
            String arn = dynamo.describeTable(r -> r.tableName("Leased")).table().latestStreamArn();
            // created while every process runs: it takes effect with no restart
            String uuid = lambda.createEventSourceMapping(r -> r.eventSourceArn(arn).functionName(url)
                    .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(7).parallelizationFactor(2)).uuid();
            await("the mapping is Enabled", () -> "Enabled".equals(lambda.getEventSourceMapping(r -> r.uuid(uuid)).state()));

            put(dynamo, "a", 40);
            await("40 changes delivered", () -> distinct() >= 40);
            Thread.sleep(3_000); // several lease periods: a second consumer would have delivered by now
            assertEquals(40, received.size(), "each change delivered once: " + received);
            assertFalse(front.output().contains("Took duty"), "the function role dispatches nothing");
            AppProcess holder = holderOf(uuid);
            AppProcess other = holder == maintenance.get(0) ? maintenance.get(1) : maintenance.get(0);
            assertFalse(held(other).contains(uuid), "one holder");

            String metrics = get(holder, "/q/metrics");
            String tag = "{trigger=\"" + uuid + "\"}";
            assertEquals(40, meter(metrics, "eddy_trigger_records_delivered_total" + tag), metrics);
            assertTrue(meter(metrics, "eddy_trigger_invocations_total" + tag) >= 6, "batches of at most 7");
            assertEquals(0, meter(metrics, "eddy_trigger_invocations_failed_total" + tag));
            assertEquals(0, meter(metrics, "eddy_trigger_retries_total" + tag));
            assertEquals(0, meter(metrics, "eddy_trigger_records_dead_lettered_total" + tag));
            assertTrue(meter(metrics, "eddy_trigger_iterator_age_seconds" + tag) >= 0);
            assertFalse(get(other, "/q/metrics").contains(tag), "the other process keeps no meters of it");

            holder.kill();
            put(dynamo, "b", 40);
            await("the other process took the mapping over", () -> held(other).contains(uuid));
            await("80 changes delivered", () -> distinct() >= 80);
            Thread.sleep(3_000);
            assertEquals(80, received.size(), "none twice across the takeover: " + received);
            assertEquals("Enabled", lambda.getEventSourceMapping(r -> r.uuid(uuid)).state());
        }
    }

    private static void put(DynamoDbClient dynamo, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            String pk = prefix + i;
            dynamo.putItem(r -> r.tableName("Leased").item(Map.of("pk", AttributeValue.fromS(pk))));
        }
    }

    private static int distinct() {
        return new HashSet<>(received).size();
    }

    private static AppProcess holderOf(String uuid) throws Exception {
        AppProcess holder = null;
        for (AppProcess a : maintenance) {
            if (held(a).contains(uuid)) {
                assertTrue(holder == null, "held by one process only");
                holder = a;
            }
        }
        assertTrue(holder != null, "some maintenance process holds the mapping");
        return holder;
    }

    /** The mappings whose lease this process took. */
    private static List<String> held(AppProcess app) {
        List<String> out = new ArrayList<>();
        Matcher m;
        try {
            m = TOOK.matcher(app.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private String get(AppProcess app, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(app.endpoint() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** A sample's value in Prometheus' text format; fails when the sample is absent. */
    private static double meter(String metrics, String sample) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return fail("no sample " + sample + " in\n" + metrics);
    }

    private static LambdaClient lambda(URI endpoint) {
        return LambdaClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(200);
        }
    }
}
