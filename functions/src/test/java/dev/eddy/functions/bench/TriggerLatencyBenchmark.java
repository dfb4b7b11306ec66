package dev.eddy.functions.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.eddy.functions.BenchApp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Triggers end to end, on the embedded stack (the packaged local app, role all): a real HTTP
 * function in this process, event source mappings created with the SDK's LambdaClient.
 * <ol>
 * <li>from CreateEventSourceMapping being called to the first record reaching the function (an item
 * written right after the call), for the first mapping since start and for a second one;</li>
 * <li>from a PutItem's acknowledgement to its record reaching the function, serial writes;</li>
 * <li>records per second draining a backlog, ParallelizationFactor 1 against 4, with a function that
 * answers at once and one that takes 5 ms per batch (as one doing I/O would).</li>
 * </ol>
 * Run: {@code bin/bench-triggers [writes] [backlog]}.
 */
public final class TriggerLatencyBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Long> ARRIVED = new ConcurrentHashMap<>();
    private static final AtomicLong RECEIVED = new AtomicLong();
    private static volatile long batchMillis;

    public static void main(String[] args) throws Exception {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        Path work = Files.createTempDirectory("eddy-bench-triggers");
        HttpServer function = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        function.setExecutor(Executors.newCachedThreadPool());
        function.createContext("/f", exchange -> {
            long now = System.nanoTime();
            JsonNode batch = JSON.readTree(exchange.getRequestBody().readAllBytes());
            for (JsonNode r : batch.path("Records")) {
                ARRIVED.putIfAbsent(r.path("dynamodb").path("Keys").path("pk").path("S").asText(), now);
                RECEIVED.incrementAndGet();
            }
            if (batchMillis > 0) {
                try {
                    Thread.sleep(batchMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        function.start();
        String url = "http://127.0.0.1:" + function.getAddress().getPort() + "/f";
        System.out.printf("Starting Eddy (embedded stack, data in %s)%n", work);
        try (BenchApp app = BenchApp.start(work); DynamoDbClient c = app.client(); LambdaClient lambda = lambda(app.endpoint())) {
            String arn = table(c, "Latency");
            for (int i = 0; i < 200; i++) {
                put(c, "Latency", "warm" + i);
            }
            long created = System.nanoTime();
            String uuid = lambda.createEventSourceMapping(r -> r.eventSourceArn(arn).functionName(url)
                    .startingPosition(EventSourcePosition.LATEST).batchSize(100).maximumBatchingWindowInSeconds(0)).uuid();
            put(c, "Latency", "first");
            while (!ARRIVED.containsKey("first")) {
                Thread.sleep(1);
            }
            System.out.printf("%nCreateEventSourceMapping called -> first record at the function: %.0f ms "
                    + "(the first mapping since start)%n", (ARRIVED.get("first") - created) / 1e6);
            // again with the maintenance loop, the mappings cache and the dispatcher's classes warm
            String warmArn = table(c, "Warm");
            long again = System.nanoTime();
            String warm = lambda.createEventSourceMapping(r -> r.eventSourceArn(warmArn).functionName(url)
                    .startingPosition(EventSourcePosition.LATEST).batchSize(100).maximumBatchingWindowInSeconds(0)).uuid();
            put(c, "Warm", "first-warm");
            while (!ARRIVED.containsKey("first-warm")) {
                Thread.sleep(1);
            }
            System.out.printf("CreateEventSourceMapping called -> first record at the function: %.0f ms "
                    + "(a second mapping)%n", (ARRIVED.get("first-warm") - again) / 1e6);
            lambda.deleteEventSourceMapping(r -> r.uuid(warm));
            for (int i = 0; i < 200; i++) {
                put(c, "Latency", "warm2-" + i);
            }
            long[] latency = new long[writes];
            for (int i = 0; i < writes; i++) {
                String pk = "w" + i;
                long acked = put(c, "Latency", pk);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                Long arrived;
                while ((arrived = ARRIVED.get(pk)) == null && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                latency[i] = arrived == null ? TimeUnit.SECONDS.toNanos(30) : arrived - acked;
            }
            Arrays.sort(latency);
            System.out.printf("PutItem acknowledged -> record at the function (%d serial writes, batch size 100): "
                    + "p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", writes, p(latency, 50) / 1e6, p(latency, 99) / 1e6,
                    latency[latency.length - 1] / 1e6);
            lambda.deleteEventSourceMapping(r -> r.uuid(uuid));

            String backlogArn = table(c, "Backlog");
            System.out.printf("%nWriting a backlog of %d records...%n", backlog);
            ExecutorService writers = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                int from = t;
                writers.execute(() -> {
                    try (DynamoDbClient w = app.client()) {
                        for (int i = from; i < backlog; i += 8) {
                            put(w, "Backlog", "b" + i);
                        }
                    }
                });
            }
            writers.shutdown();
            writers.awaitTermination(30, TimeUnit.MINUTES);
            System.out.printf("%-44s %14s %14s%n", "draining the backlog (batch size 10)", "PF 1", "PF 4");
            for (long millis : new long[] {0, 5}) {
                batchMillis = millis;
                double[] rates = new double[2];
                int[] factors = {1, 4};
                for (int f = 0; f < 2; f++) {
                    int factor = factors[f];
                    RECEIVED.set(0);
                    long start = System.nanoTime();
                    String run = lambda.createEventSourceMapping(r -> r.eventSourceArn(backlogArn).functionName(url)
                            .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(10)
                            .parallelizationFactor(factor)).uuid();
                    long firstSeen = 0;
                    while (RECEIVED.get() < backlog) {
                        if (firstSeen == 0 && RECEIVED.get() > 0) {
                            firstSeen = System.nanoTime();
                        }
                        Thread.sleep(5);
                    }
                    long end = System.nanoTime();
                    rates[f] = backlog / ((end - (firstSeen == 0 ? start : firstSeen)) / 1e9);
                    lambda.deleteEventSourceMapping(r -> r.uuid(run));
                    Thread.sleep(2_000); // the mapping stops and lets its function go
                }
                System.out.printf("%-44s %9.0f rec/s %9.0f rec/s%n", "function answering in " + millis + " ms per batch",
                        rates[0], rates[1]);
            }
        } finally {
            function.stop(0);
        }
    }

    private static LambdaClient lambda(URI endpoint) {
        return LambdaClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static String table(DynamoDbClient c, String name) {
        c.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
        c.waiter().waitUntilTableExists(r -> r.tableName(name));
        return c.describeTable(r -> r.tableName(name)).table().latestStreamArn();
    }

    /** Writes an item; returns when it was acknowledged (System.nanoTime). */
    private static long put(DynamoDbClient c, String table, String pk) {
        c.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk),
                "payload", AttributeValue.fromS("x".repeat(200)))));
        return System.nanoTime();
    }

    private static long p(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percentile / 100.0) - 1)];
    }
}
