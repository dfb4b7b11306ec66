package dev.eddy.functions.bench;

import dev.eddy.functions.BenchApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.infinispan.client.hotrod.RemoteCacheManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Transaction records stay bounded under a steady stream of transactions (issue: crash-safe
 * upkeep): runs N TransactWriteItems (two items each, every other one with a ClientRequestToken)
 * from 8 threads against the embedded stack, and every tenth of the way counts the entries of the
 * transaction records' and tokens' caches, read straight from the Infinispan node. Records live
 * until their locks are settled; tokens expire by themselves ten minutes after their call.
 * Run: {@code bin/bench-transactions [transactions]} (default 100000).
 */
public final class TransactionRecordsBenchmark {
    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path work = Files.createTempDirectory("eddy-bench-tx");
        System.out.printf("Starting Eddy (embedded stack, data in %s)%n", work);
        try (BenchApp app = BenchApp.start(work); DynamoDbClient admin = app.client();
             RemoteCacheManager hotRod = new RemoteCacheManager(app.hotRodClient().build())) {
            admin.createTable(b -> b.tableName("TxBench").billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
            admin.waiter().waitUntilTableExists(r -> r.tableName("TxBench"));
            AtomicLong done = new AtomicLong();
            AtomicLong conflicts = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> workers = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                workers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    try (DynamoDbClient c = app.client()) {
                        while (done.get() < total) {
                            int a = random.nextInt(10_000);
                            int b = (a + 1 + random.nextInt(9_999)) % 10_000;
                            try {
                                c.transactWriteItems(r -> {
                                    r.transactItems(add(a, -1), add(b, 1));
                                    if (random.nextBoolean()) {
                                        r.clientRequestToken(UUID.randomUUID().toString());
                                    }
                                });
                                done.incrementAndGet();
                            } catch (TransactionCanceledException conflict) {
                                conflicts.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            System.out.printf("%n%14s %10s %20s %14s%n", "transactions", "seconds", "transaction records", "tokens");
            long next = total / 10;
            while (next <= total) {
                while (done.get() < next) {
                    Thread.sleep(100);
                }
                System.out.printf("%14d %10.0f %20d %14d%n", done.get(), (System.nanoTime() - t0) / 1e9,
                        hotRod.getCache("eddy.transactions").size(), hotRod.getCache("eddy.tokens").size());
                next += total / 10;
            }
            for (Future<?> f : workers) {
                f.get();
            }
            pool.shutdown();
            System.out.printf("%d conflicts retried; records are those of transactions in flight at the count, tokens "
                    + "those of the last ten minutes%n", conflicts.get());
        }
    }

    private static TransactWriteItem add(int account, long amount) {
        return TransactWriteItem.builder().update(u -> u.tableName("TxBench").key(Map.of("pk", AttributeValue.fromS("a" + account)))
                .updateExpression("ADD balance :a").expressionAttributeValues(Map.of(":a",
                        AttributeValue.fromN(Long.toString(amount))))).build();
    }
}
