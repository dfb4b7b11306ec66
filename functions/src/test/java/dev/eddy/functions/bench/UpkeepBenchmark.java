package dev.eddy.functions.bench;

import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.devstack.EmbeddedKafka;
import dev.eddy.functions.BenchApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What background upkeep costs (issue: background work at scale), in the deployment's shape: an
 * Infinispan node and a Kafka broker (in this JVM), a function process that serves the writes and
 * carries out their change records itself, and a maintenance process that runs every background
 * duty. The tables each have a stream, a global index and Time to Live; first they sit idle, then
 * they are written at a steady rate. The maintenance process's CPU (from /proc) and its requests
 * to the Infinispan servers (its {@code eddy_storage_requests} meter) are read per minute of each
 * phase.
 *
 * <p>Run: {@code bin/bench-upkeep [tables] [items per table] [writes per second] [seconds per phase]}
 * (defaults 100, 10000, 1000, 60).
 */
public final class UpkeepBenchmark {
    public static void main(String[] args) throws Exception {
        int tables = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int items = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        Path work = Files.createTempDirectory("eddy-bench-upkeep");
        int hotRodPort = dev.eddy.functions.BenchPorts.free();
        int kafkaPort = dev.eddy.functions.BenchPorts.free();
        System.out.printf("Starting an Infinispan node and a Kafka broker (data in %s)%n", work);
        try (EmbeddedInfinispan infinispan = EmbeddedInfinispan.start(
                EmbeddedInfinispan.Options.standalone(work.resolve("infinispan"), hotRodPort));
             EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), kafkaPort)) {
            Map<String, String> cluster = Map.of("eddy.infinispan.servers", infinispan.hotRodAddress(),
                    "eddy.kafka.bootstrap-servers", kafka.bootstrapServers(), "eddy.auth.enabled", "false");
            Map<String, String> function = new java.util.HashMap<>(cluster);
            function.put("eddy.role", "function");
            Map<String, String> maintenance = new java.util.HashMap<>(cluster);
            maintenance.put("eddy.role", "maintenance");
            System.out.println("Starting a function process and a maintenance process");
            try (BenchApp app = BenchApp.startFunction(work.resolve("function"), "-Xmx2g", function);
                 BenchApp upkeep = BenchApp.startFunction(work.resolve("maintenance"), "-Xmx1g", maintenance);
                 DynamoDbClient c = app.client()) {
                long loadStart = System.nanoTime();
                ExecutorService loaders = Executors.newFixedThreadPool(4);
                List<java.util.concurrent.Future<?>> loading = new ArrayList<>();
                for (int t = 0; t < tables; t++) {
                    String name = "upkeep" + t;
                    createTable(c, name);
                    loading.add(loaders.submit(() -> load(app, name, items)));
                }
                for (var f : loading) {
                    f.get();
                }
                loaders.shutdown();
                System.out.printf("Loaded %d tables of %d items in %.0f s%n", tables, items,
                        (System.nanoTime() - loadStart) / 1e9);
                Thread.sleep(15_000); // the function process has carried out its records and left their pages
                Phase idle = Phase.measure(upkeep, seconds, () -> 0L);
                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicLong written = new AtomicLong();
                Thread writer = new Thread(() -> write(app, tables, items, rate, writing, written));
                writer.start();
                Thread.sleep(5_000);
                long before = written.get();
                Phase busy = Phase.measure(upkeep, seconds, () -> written.get() - before);
                writing.set(false);
                writer.join();
                System.out.printf("%n%d tables of %d items (stream, global index, Time to Live); the maintenance process%n",
                        tables, items);
                System.out.printf("%-34s %12s %16s %14s %16s%n", "phase (per minute)", "upkeep CPU", "Hot Rod requests",
                        "writes", "requests/write");
                idle.print("idle tables");
                busy.print("writes at " + rate + "/s");
            }
        }
    }

    /** What the maintenance process spent in one phase, scaled to a minute. */
    private record Phase(double cpuMillisPerMinute, double requestsPerMinute, double writesPerMinute) {
        static Phase measure(BenchApp upkeep, int seconds, java.util.function.LongSupplier writes) throws Exception {
            long cpu0 = upkeep.cpuMillis();
            double req0 = requests(upkeep);
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double minutes = (System.nanoTime() - t0) / 60e9;
            return new Phase((upkeep.cpuMillis() - cpu0) / minutes, (requests(upkeep) - req0) / minutes,
                    writes.getAsLong() / minutes);
        }

        void print(String name) {
            System.out.printf("%-34s %9.0f ms %16.0f %14.0f %16s%n", name, cpuMillisPerMinute, requestsPerMinute,
                    writesPerMinute, writesPerMinute == 0 ? "-" : String.format("%.3f", requestsPerMinute / writesPerMinute));
        }
    }

    /** The process's requests to the Infinispan servers so far, from its metrics. */
    private static double requests(BenchApp app) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.endpoint().resolve("/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("eddy_storage_requests")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("no eddy_storage_requests in the maintenance process's metrics");
    }

    private static void createTable(DynamoDbClient c, String name) {
        c.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("g").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexes(g -> g.indexName("byG")
                        .keySchema(KeySchemaElement.builder().attributeName("g").keyType(KeyType.HASH).build())
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
        c.waiter().waitUntilTableExists(r -> r.tableName(name));
        c.updateTimeToLive(r -> r.tableName(name).timeToLiveSpecification(s -> s.enabled(true).attributeName("ttl")));
    }

    private static Map<String, AttributeValue> item(int i, long expires, int version) {
        return Map.of("pk", AttributeValue.fromS("k" + i), "g", AttributeValue.fromS("g" + (i % 100)),
                "ttl", AttributeValue.fromN(Long.toString(expires)), "v", AttributeValue.fromN(Integer.toString(version)),
                "pad", AttributeValue.fromS("x".repeat(100)));
    }

    private static void load(BenchApp app, String table, int items) {
        long expires = System.currentTimeMillis() / 1000 + 7 * 86400;
        try (DynamoDbClient c = app.client()) {
            List<WriteRequest> batch = new ArrayList<>(25);
            for (int i = 0; i < items; i++) {
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item(i, expires, 0)).build()).build());
                if (batch.size() == 25 || i == items - 1) {
                    Map<String, List<WriteRequest>> left = Map.of(table, batch);
                    while (!left.isEmpty()) {
                        Map<String, List<WriteRequest>> send = left;
                        left = c.batchWriteItem(r -> r.requestItems(send)).unprocessedItems();
                    }
                    batch = new ArrayList<>(25);
                }
            }
        }
    }

    /** Writes at about {@code rate} per second, spread over every item of every table, from 16 threads. */
    private static void write(BenchApp app, int tables, int items, int rate, AtomicBoolean writing, AtomicLong written) {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long expires = System.currentTimeMillis() / 1000 + 7 * 86400;
        for (int t = 0; t < threads; t++) {
            int seed = t;
            pool.execute(() -> {
                Random random = new Random(seed);
                long interval = TimeUnit.SECONDS.toNanos(1) * threads / rate;
                long next = System.nanoTime();
                try (DynamoDbClient c = app.client()) {
                    while (writing.get()) {
                        int i = random.nextInt(items);
                        c.putItem(r -> r.tableName("upkeep" + random.nextInt(tables)).item(item(i, expires, random.nextInt())));
                        written.incrementAndGet();
                        next += interval;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                    }
                }
            });
        }
        pool.shutdown();
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
