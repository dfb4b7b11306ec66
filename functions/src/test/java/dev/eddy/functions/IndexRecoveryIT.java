package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Global indexes recover by themselves (issue: crash-safe upkeep): two application processes over
 * one cluster; one is killed (SIGKILL) while writers move items between index keys, or while it
 * builds an index UpdateTable added; with no further write, the index converges to exactly the
 * table (each item once, under its current key, nothing the table lacks), and the build finishes
 * from where the dead process left it.
 */
class IndexRecoveryIT {
    private static final InfinispanCluster cluster = new InfinispanCluster();
    private static Map<String, String> config;
    private static Path work;
    private static final List<AppProcess> apps = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        String servers = cluster.startNodes(2);
        work = Files.createTempDirectory("eddy-index-kill");
        // A dead process's identity and leases are taken over three seconds after its last heartbeat.
        config = Map.of("eddy.infinispan.servers", servers, "eddy.leases.duration", "PT3S");
    }

    @AfterAll
    static void stop() throws Exception {
        closeApps();
        cluster.stop();
    }

    @org.junit.jupiter.api.AfterEach
    void closeAppsOfTheTest() throws Exception {
        closeApps();
    }

    private static void closeApps() throws Exception {
        for (AppProcess a : apps) {
            a.close();
        }
        apps.clear();
    }

    private static AppProcess app() throws Exception {
        AppProcess a = AppProcess.start(work, config);
        apps.add(a);
        return a;
    }

    private static void createTable(DynamoDbClient c, String table, boolean withIndex) {
        c.createTable(b -> {
            b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build());
            if (withIndex) {
                b.attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("color").attributeType(ScalarAttributeType.S)).globalSecondaryIndexes(byColor());
            } else {
                b.attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S));
            }
        });
        c.waiter().waitUntilTableExists(r -> r.tableName(table));
    }

    private static GlobalSecondaryIndex byColor() {
        return GlobalSecondaryIndex.builder().indexName("byColor")
                .keySchema(KeySchemaElement.builder().attributeName("color").keyType(KeyType.HASH).build())
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build();
    }

    private static void load(DynamoDbClient c, String table, int items, int colors) throws Exception {
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            rows.add(Map.of("pk", AttributeValue.fromS("i" + i), "color", AttributeValue.fromS("c" + i % colors),
                    "v", AttributeValue.fromN("0")));
        }
        TableLoad.put(c, table, rows);
    }

    /** pk -> color, from a strongly consistent Scan of the table. */
    private static Map<String, String> table(DynamoDbClient c, String table) {
        Map<String, String> out = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = c.scan(r -> r.tableName(table).consistentRead(true).exclusiveStartKey(from));
            page.items().forEach(i -> out.put(i.get("pk").s(), i.get("color").s()));
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** pk -> color as the index has it, from Queries on each color; an item twice is a problem too. */
    private static Map<String, String> indexByQueries(DynamoDbClient c, String table, int colors, List<String> problems) {
        Map<String, String> out = new TreeMap<>();
        for (int k = 0; k < colors; k++) {
            String color = "c" + k;
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = c.query(r -> r.tableName(table).indexName("byColor").keyConditionExpression("color = :c")
                        .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(color))).exclusiveStartKey(from));
                for (var item : page.items()) {
                    if (!color.equals(item.get("color").s())) {
                        problems.add(item.get("pk").s() + " under " + color + " shows color " + item.get("color").s());
                    }
                    if (out.put(item.get("pk").s(), color) != null) {
                        problems.add(item.get("pk").s() + " is in the index twice");
                    }
                }
                start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        }
        return out;
    }

    private static Map<String, String> indexByScan(DynamoDbClient c, String table) {
        Map<String, String> out = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = c.scan(r -> r.tableName(table).indexName("byColor").exclusiveStartKey(from));
            page.items().forEach(i -> out.put(i.get("pk").s(), i.get("color").s()));
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Test
    void anIndexConvergesToTheTableAfterAWriterIsKilledWithNoFurtherWrite() throws Exception {
        String table = "Moving";
        int items = 1000;
        int colors = 10;
        AppProcess a = app();
        AppProcess b = app();
        try (DynamoDbClient c = a.client()) {
            createTable(c, table, true);
            load(c, table, items, colors);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger updates = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            AppProcess target = t % 2 == 0 ? a : b;
            int seed = t;
            writers.add(pool.submit(() -> {
                Random random = new Random(seed);
                try (DynamoDbClient c = target.client()) {
                    while (!stop.get()) {
                        int i = random.nextInt(items);
                        try {
                            c.updateItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("i" + i)))
                                    .updateExpression("SET color = :c, v = v + :one")
                                    .expressionAttributeValues(Map.of(":c", AttributeValue.fromS("c" + random.nextInt(colors)),
                                            ":one", AttributeValue.fromN("1"))));
                            updates.incrementAndGet();
                        } catch (RuntimeException killed) {
                            if (target == a) {
                                return null; // its process is gone
                            }
                        }
                    }
                }
                return null;
            }));
        }
        while (updates.get() < 1500) {
            Thread.sleep(20);
        }
        a.kill();
        Thread.sleep(500);
        stop.set(true);
        for (Future<?> f : writers) {
            f.get();
        }
        pool.shutdown();
        long restartAt = System.currentTimeMillis();
        AppProcess restarted = app();

        try (DynamoDbClient c = restarted.client()) {
            Map<String, String> base = table(c, table);
            assertEquals(items, base.size());
            List<String> problems = new ArrayList<>();
            Map<String, String> byQueries = Map.of();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                problems.clear();
                byQueries = indexByQueries(c, table, colors, problems);
                if (problems.isEmpty() && byQueries.equals(base) && indexByScan(c, table).equals(base)) {
                    break;
                }
                Thread.sleep(500);
            }
            assertEquals(List.of(), problems);
            assertEquals(base, byQueries, "Queries on the index show exactly the table");
            assertEquals(base, indexByScan(c, table), "a Scan of the index shows exactly the table");
            assertEquals(base, table(c, table), "and nothing was written meanwhile");
            System.out.printf("index recovery: %d updates before the kill; converged %d ms after the restart began%n",
                    updates.get(), System.currentTimeMillis() - restartAt);
        }
    }

    @Test
    void anIndexBuildCarriesOnWhereAKilledProcessLeftIt() throws Exception {
        String table = "Backfilled";
        // Enough items that the build is far from done when it is seen under way (the full form: 20 000).
        int items = Integer.getInteger("index-recovery.items", 3_000);
        int colors = 20;
        AppProcess a = app();
        AppProcess b = app();
        try (DynamoDbClient c = a.client()) {
            createTable(c, table, false);
            load(c, table, items, colors);
            c.updateTable(r -> r.tableName(table).attributeDefinitions(d -> d.attributeName("color")
                    .attributeType(ScalarAttributeType.S)).globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
                    .create(x -> x.indexName("byColor").keySchema(KeySchemaElement.builder().attributeName("color")
                            .keyType(KeyType.HASH).build()).projection(p -> p.projectionType(ProjectionType.ALL))).build()));
        }
        // The process that took the build is killed once it is under way.
        AppProcess builder = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (builder == null && System.currentTimeMillis() < deadline) {
            for (AppProcess p : List.of(a, b)) {
                if (p.output().contains("Took duty index-build:")) {
                    builder = p;
                }
            }
            Thread.sleep(100);
        }
        assertTrue(builder != null, "one of the processes took the build");
        try (DynamoDbClient c = builder.client()) {
            var index = c.describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes().get(0);
            assertEquals(IndexStatus.CREATING, index.indexStatus());
            assertTrue(index.backfilling(), "Backfilling while the build runs");
        }
        // Killed once it is seen to have put items into the index and saved its position (every 50
        // partitions, one item each here), long before it is done.
        double backfilledAtKill = builder.awaitMeter("eddy_index_backfilled_items_total", 200);
        builder.kill();
        assertTrue(backfilledAtKill < items, "the build was seen under way, far from done, just before the kill");
        AppProcess survivor = builder == a ? b : a;

        try (DynamoDbClient c = survivor.client()) {
            deadline = System.currentTimeMillis() + 180_000;
            IndexStatus status = null;
            while (System.currentTimeMillis() < deadline) {
                var index = c.describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes().get(0);
                status = index.indexStatus();
                if (status == IndexStatus.ACTIVE) {
                    break;
                }
                assertTrue(index.backfilling(), "Backfilling stays true throughout");
                Thread.sleep(500);
            }
            assertEquals(IndexStatus.ACTIVE, status, "the survivor finished the build");
            assertTrue(java.util.regex.Pattern.compile("Took duty index-build:\\S+ \\(epoch [2-9]").matcher(survivor.output())
                    .find(), "the survivor took the build over from the dead process");
            Map<String, String> base = table(c, table);
            List<String> problems = new ArrayList<>();
            assertEquals(base, indexByQueries(c, table, colors, problems), "every item is in the index");
            assertEquals(List.of(), problems);
            assertEquals(items, base.size());
            assertTrue(survivor.meter("eddy_index_backfilled_items_total") < items,
                    "the survivor carried on from the saved position rather than from the start");
        }
    }
}
