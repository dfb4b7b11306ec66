package dev.eddy.functions.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BackupStatus;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * How long an on-demand backup of a table and its restore take. Starts the packaged application
 * with its embedded stack, fills a table (items of about 150 bytes, {@code per-partition} items per
 * partition key, optionally with a global index), then times CreateBackup until DescribeBackup says
 * AVAILABLE and RestoreTableFromBackup until DescribeTable says ACTIVE, through the AWS SDK, and
 * prints the load average around each. Run: {@code bin/bench-backup [items] [per-partition] [index]}.
 */
public final class BackupBenchmark {
    private static final String TABLE = "Bench";

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int perPartition = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        boolean index = args.length > 2 && args[2].equals("index");
        Path work = Files.createTempDirectory("eddy-bench");
        System.out.printf("Starting Eddy (embedded stack, data in %s)%n", work);
        try (var app = dev.eddy.functions.BenchApp.start(work, List.of(), "-Xmx1g"); DynamoDbClient c = app.client()) {
            c.createTable(b -> {
                b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
                if (index) {
                    b.attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.N),
                            a -> a.attributeName("g").attributeType(ScalarAttributeType.S))
                            .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byG")
                                    .keySchema(KeySchemaElement.builder().attributeName("g").keyType(KeyType.HASH).build(),
                                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                                    .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build());
                } else {
                    b.attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.N));
                }
            });
            c.waiter().waitUntilTableExists(r -> r.tableName(TABLE));
            long t0 = System.nanoTime();
            fill(app, items, perPartition);
            System.out.printf("Filled %d items (%d a partition%s) in %.1f s%n", items, perPartition,
                    index ? ", one global index" : "", (System.nanoTime() - t0) / 1e9);
            Thread.sleep(5_000); // let index upkeep and the filling's stream of changes settle

            String before = loadAverage();
            long b0 = System.nanoTime();
            String arn = c.createBackup(r -> r.tableName(TABLE).backupName("bench")).backupDetails().backupArn();
            while (c.describeBackup(r -> r.backupArn(arn)).backupDescription().backupDetails().backupStatus()
                    != BackupStatus.AVAILABLE) {
                Thread.sleep(100);
            }
            double backupSeconds = (System.nanoTime() - b0) / 1e9;
            String during = loadAverage();
            long count = c.describeBackup(r -> r.backupArn(arn)).backupDescription().sourceTableDetails().itemCount();
            System.out.printf("Backup: %.1f s from CreateBackup to AVAILABLE (%d items; the point is 1 s after the "
                    + "request); load average before %s, after %s%n", backupSeconds, count, before, during);

            long r0 = System.nanoTime();
            c.restoreTableFromBackup(r -> r.backupArn(arn).targetTableName(TABLE + "-restored"));
            while (c.describeTable(r -> r.tableName(TABLE + "-restored")).table().tableStatus() != TableStatus.ACTIVE) {
                Thread.sleep(100);
            }
            double restoreSeconds = (System.nanoTime() - r0) / 1e9;
            int restored = 0;
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                var page = c.scan(r -> r.tableName(TABLE + "-restored").exclusiveStartKey(from).select("COUNT"));
                restored += page.count();
                start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            System.out.printf("Restore: %.1f s from RestoreTableFromBackup to ACTIVE (%d items read back); "
                    + "load average after %s%n", restoreSeconds, restored, loadAverage());
            if (restored != items || count != items) {
                throw new IllegalStateException("expected " + items + " items, backup has " + count + ", restore " + restored);
            }
        }
    }

    private static String loadAverage() throws Exception {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    /** Fills the table with BatchWriteItem, 25 items a request, from a few threads. */
    private static void fill(dev.eddy.functions.BenchApp app, int count, int perPartition) throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                try (DynamoDbClient c = app.client()) {
                    for (int batch = thread * 25; batch < count; batch += threads * 25) {
                        List<WriteRequest> writes = new ArrayList<>();
                        for (int i = batch; i < Math.min(count, batch + 25); i++) {
                            Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("p" + i / perPartition),
                                    "sk", AttributeValue.fromN(Integer.toString(i)), "g", AttributeValue.fromS("g" + i % 100),
                                    "payload", AttributeValue.fromS("p".repeat(100)));
                            writes.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
                        }
                        Map<String, List<WriteRequest>> pending = Map.of(TABLE, writes);
                        while (!pending.isEmpty()) {
                            Map<String, List<WriteRequest>> request = pending;
                            pending = c.batchWriteItem(r -> r.requestItems(request)).unprocessedItems();
                        }
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
