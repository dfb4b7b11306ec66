package dev.eddy.functions.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Does an operation cost the same in a partition of 100 items and one of 100 000? Starts the
 * packaged application with its embedded stack, fills both partitions (items of about 100 bytes),
 * then times serial Query (Limit 100, from a random key; on the table and on a local index),
 * PutItem and GetItem in each through the AWS SDK, and prints p50 and p99 with the large/small ratio. Run: {@code bin/bench-partitions}.
 */
public final class PartitionSizeBenchmark {
    private static final String TABLE = "Bench";

    public static void main(String[] args) throws Exception {
        int large = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int small = 100;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Path work = Files.createTempDirectory("eddy-bench");
        System.out.printf("Starting Eddy (embedded stack, data in %s)%n", work);
        try (var app = dev.eddy.functions.BenchApp.start(work); DynamoDbClient c = app.client()) {
            c.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.N),
                            a -> a.attributeName("rev").attributeType(ScalarAttributeType.N))
                    // A local index ordering each partition the other way round.
                    .localSecondaryIndexes(l -> l.indexName("byRev")
                            .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                    KeySchemaElement.builder().attributeName("rev").keyType(KeyType.RANGE).build())
                            .projection(p -> p.projectionType(software.amazon.awssdk.services.dynamodb.model.ProjectionType.ALL))));
            c.waiter().waitUntilTableExists(r -> r.tableName(TABLE));
            long t0 = System.nanoTime();
            fill(app, "small", small);
            fill(app, "large", large);
            System.out.printf("Filled %d + %d items in %.1f s%n", small, large, (System.nanoTime() - t0) / 1e9);

            System.out.printf("%n%-34s %10s %10s %10s %10s %8s %8s%n", "operation (serial, " + samples + " samples)",
                    "small p50", "small p99", "large p50", "large p99", "p50 x", "p99 x");
            for (boolean consistent : new boolean[] {false, true}) {
                compare(String.format("Query Limit 100 (%s)", consistent ? "consistent" : "eventual"), samples,
                        i -> query(c, "small", small, consistent), i -> query(c, "large", large, consistent));
            }
            for (boolean consistent : new boolean[] {false, true}) {
                compare(String.format("Query Limit 100, local index (%s)", consistent ? "consistent" : "eventual"), samples,
                        i -> queryIndex(c, "small", small, consistent), i -> queryIndex(c, "large", large, consistent));
            }
            compare("PutItem (overwrite)", samples, i -> put(c, "small", small), i -> put(c, "large", large));
            compare("GetItem (consistent)", samples, i -> get(c, "small", small, true), i -> get(c, "large", large, true));
            compare("GetItem (eventual, near cache)", samples, i -> get(c, "small", small, false),
                    i -> get(c, "large", large, false));
        }
    }

    /** Fills a partition with BatchWriteItem, 25 items a request, from a few threads. */
    private static void fill(dev.eddy.functions.BenchApp app, String pk, int count) throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                try (DynamoDbClient c = app.client()) {
                    for (int batch = thread * 25; batch < count; batch += threads * 25) {
                        List<WriteRequest> writes = new ArrayList<>();
                        for (int sk = batch; sk < Math.min(count, batch + 25); sk++) {
                            Map<String, AttributeValue> item = item(pk, sk);
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

    private static Map<String, AttributeValue> item(String pk, int sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(Integer.toString(sk)),
                "rev", AttributeValue.fromN(Integer.toString(-sk)), "payload", AttributeValue.fromS("p".repeat(80)));
    }

    private static void put(DynamoDbClient c, String pk, int bound) {
        putAt(c, pk, ThreadLocalRandom.current().nextInt(bound));
    }

    private static void putAt(DynamoDbClient c, String pk, int sk) {
        c.putItem(r -> r.tableName(TABLE).item(item(pk, sk)));
    }


    private static void query(DynamoDbClient c, String pk, int bound, boolean consistent) {
        int from = ThreadLocalRandom.current().nextInt(Math.max(1, bound - 100));
        int n = c.query(r -> r.tableName(TABLE).limit(100).consistentRead(consistent).keyConditions(Map.of(
                "pk", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(AttributeValue.fromS(pk)).build(),
                "sk", Condition.builder().comparisonOperator(ComparisonOperator.GE)
                        .attributeValueList(AttributeValue.fromN(Integer.toString(from))).build()))).count();
        if (n != 100) {
            throw new IllegalStateException("expected a full page, got " + n);
        }
    }

    private static void queryIndex(DynamoDbClient c, String pk, int bound, boolean consistent) {
        int from = ThreadLocalRandom.current().nextInt(Math.max(1, bound - 100));
        int n = c.query(r -> r.tableName(TABLE).indexName("byRev").limit(100).consistentRead(consistent)
                .keyConditionExpression("pk = :p AND rev <= :r").expressionAttributeValues(Map.of(
                        ":p", AttributeValue.fromS(pk), ":r", AttributeValue.fromN(Integer.toString(-from)))))
                .count();
        if (n != 100) {
            throw new IllegalStateException("expected a full page from the local index, got " + n);
        }
    }

    private static void get(DynamoDbClient c, String pk, int bound, boolean consistent) {
        String sk = Integer.toString(ThreadLocalRandom.current().nextInt(bound));
        if (!c.getItem(r -> r.tableName(TABLE).consistentRead(consistent).key(Map.of("pk", AttributeValue.fromS(pk),
                "sk", AttributeValue.fromN(sk)))).hasItem()) {
            throw new IllegalStateException("missing item " + pk + "/" + sk);
        }
    }

    private static void compare(String name, int samples, IntConsumer small, IntConsumer large) {
        long[] s = time(samples, small);
        long[] l = time(samples, large);
        System.out.printf("%-34s %8d us %8d us %8d us %8d us %7.2fx %7.2fx%n", name, p(s, 50), p(s, 99), p(l, 50), p(l, 99),
                (double) p(l, 50) / p(s, 50), (double) p(l, 99) / p(s, 99));
    }

    private static long[] time(int samples, IntConsumer op) {
        for (int i = 0; i < samples / 4; i++) {
            op.accept(i); // warm-up, not counted
        }
        long[] micros = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            op.accept(i);
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(micros);
        return micros;
    }

    private static long p(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percentile / 100.0) - 1)];
    }
}
