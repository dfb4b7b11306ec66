package dev.eddy.functions.bench;

import dev.eddy.core.Eddy;
import dev.eddy.core.EddyConfig;
import dev.eddy.core.Role;
import dev.eddy.core.storage.StorageConfig;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.functions.BenchApp;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
 * What background upkeep costs (issue: background work at scale): tables that each have a stream,
 * a global index and Time to Live, first idle, then written at a steady rate. The application (its
 * embedded stack, in the function role: it serves the writes and carries out their records itself)
 * runs as a process of its own; the maintenance role runs here, in this JVM, so its CPU (its
 * threads' CPU time) and its requests to the Infinispan servers can be counted exactly. Figures per
 * minute of each phase.
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
        System.out.printf("Starting Eddy (embedded stack, function role, data in %s)%n", work);
        try (BenchApp app = BenchApp.start(work, List.of(), "-Xmx2g", Map.of("eddy.role", "function"));
             DynamoDbClient c = app.client()) {
            long loadStart = System.nanoTime();
            ExecutorService loaders = Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<?>> loading = new ArrayList<>();
            for (int t = 0; t < tables; t++) {
                String name = "u" + t;
                createTable(c, name);
                loading.add(loaders.submit(() -> load(app, name, items)));
            }
            for (var f : loading) {
                f.get();
            }
            loaders.shutdown();
            System.out.printf("Loaded %d tables of %d items in %.0f s%n", tables, items,
                    (System.nanoTime() - loadStart) / 1e9);

            EddyConfig config = new EddyConfig("us-east-1", "000000000000", Role.MAINTENANCE,
                    new StorageConfig(app.hotRodAddress(), StorageConfig.DEFAULT_TEMPLATE, StorageConfig.DEFAULT_NEAR_CACHE_BYTES,
                            StorageConfig.DEFAULT_PAGE_BYTES),
                    TimeUnit.MINUTES.toMillis(5), new StreamConfig(app.kafkaBootstrapServers(), 1, (short) 1, 5_000),
                    TimeUnit.SECONDS.toMillis(30), TimeUnit.SECONDS.toMillis(10));
            try (Eddy maintenance = new Eddy(config)) {
                Thread.sleep(15_000); // duties taken, the function process's pages left
                Phase idle = Phase.measure(maintenance, seconds, () -> 0L);
                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicLong written = new AtomicLong();
                Thread writer = new Thread(() -> write(app, tables, items, rate, writing, written));
                writer.start();
                Thread.sleep(5_000);
                long before = written.get();
                Phase busy = Phase.measure(maintenance, seconds, () -> written.get() - before);
                writing.set(false);
                writer.join();
                System.out.printf("%n%d tables of %d items (stream, global index, Time to Live); maintenance role in this JVM%n",
                        tables, items);
                System.out.printf("%-34s %12s %16s %14s %16s%n", "phase (per minute)", "upkeep CPU", "Hot Rod requests",
                        "writes", "requests/write");
                idle.print("idle tables");
                busy.print("writes at " + rate + "/s");
            }
        }
    }

    /** What the maintenance role spent in one phase, scaled to a minute. */
    private record Phase(double cpuMillisPerMinute, double requestsPerMinute, double writesPerMinute) {
        static Phase measure(Eddy eddy, int seconds, java.util.function.LongSupplier writes) throws InterruptedException {
            long cpu0 = upkeepCpuNanos();
            long req0 = eddy.storage().serverRequests();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double minutes = (System.nanoTime() - t0) / 60e9;
            return new Phase((upkeepCpuNanos() - cpu0) / 1e6 / minutes, (eddy.storage().serverRequests() - req0) / minutes,
                    writes.getAsLong() / minutes);
        }

        void print(String name) {
            System.out.printf("%-34s %9.0f ms %16.0f %14.0f %16s%n", name, cpuMillisPerMinute, requestsPerMinute,
                    writesPerMinute, writesPerMinute == 0 ? "-" : String.format("%.3f", requestsPerMinute / writesPerMinute));
        }
    }

    /** CPU time of the maintenance role's threads: Eddy's own, and its Hot Rod and Kafka clients'. */
    private static long upkeepCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String n = info.getThreadName();
            if (n.startsWith("eddy-") || n.startsWith("HotRod-client") || n.startsWith("kafka-")) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, t);
            }
        }
        return total;
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
                        c.putItem(r -> r.tableName("u" + random.nextInt(tables)).item(item(i, expires, random.nextInt())));
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
