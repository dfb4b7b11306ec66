package dev.eddy.functions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process killed (SIGKILL) while its threads are in the middle of transfers: another process
 * over the same cluster then finds every account either with a transfer fully applied or not at
 * all: the total is what it was, by TransactGetItems and by single reads, and plain writes work.
 */
class TransactionRecoveryIT {
    private static final InfinispanCluster cluster = new InfinispanCluster();
    private static Map<String, String> config;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        String servers = cluster.startNodes(2);
        work = Files.createTempDirectory("eddy-tx-kill");
        config = Map.of("eddy.infinispan.servers", servers, "eddy.transactions.timeout", "PT2S");
    }

    @AfterAll
    static void stop() {
        cluster.stop();
    }

    private static Map<String, AttributeValue> key(int account) {
        return Map.of("pk", AttributeValue.fromS("acct" + account));
    }

    private static TransactWriteItem add(String table, int account, long amount) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(account))
                .updateExpression("ADD balance :a").expressionAttributeValues(Map.of(":a",
                        AttributeValue.fromN(Long.toString(amount))))).build();
    }

    @Test
    void aTransactionCutShortByAKillIsAppliedWholeOrNotAtAll() throws Exception {
        String table = "Bank";
        int accounts = 6;
        AtomicInteger committed = new AtomicInteger();
        try (AppProcess doomed = AppProcess.start(work, config)) {
            try (DynamoDbClient c = doomed.client()) {
                c.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
                c.waiter().waitUntilTableExists(r -> r.tableName(table));
                for (int i = 0; i < accounts; i++) {
                    int id = i;
                    c.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("acct" + id),
                            "balance", AttributeValue.fromN("1000"))));
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    try (DynamoDbClient c = doomed.client()) {
                        while (true) {
                            int from = random.nextInt(accounts);
                            int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
                            long amount = 1 + random.nextInt(50);
                            try {
                                // Four items per transaction, so a kill lands between locks or applies often.
                                int third = (to + 1) % accounts == from ? (to + 2) % accounts : (to + 1) % accounts;
                                c.transactWriteItems(r -> r.transactItems(add(table, from, -amount), add(table, to, amount - 1),
                                        add(table, third, 1)));
                                committed.incrementAndGet();
                            } catch (TransactionCanceledException conflict) {
                                // retry another
                            } catch (RuntimeException killed) {
                                return null;
                            }
                        }
                    }
                }));
            }
            while (committed.get() < 40) {
                Thread.sleep(10);
            }
            doomed.kill();
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }

        try (AppProcess survivor = AppProcess.start(work, config); DynamoDbClient c = survivor.client()) {
            long total = -1;
            long deadline = System.currentTimeMillis() + 30_000;
            while (total < 0 && System.currentTimeMillis() < deadline) {
                try {
                    var read = c.transactGetItems(q -> q.transactItems(java.util.stream.IntStream.range(0, accounts)
                            .mapToObj(i -> TransactGetItem.builder().get(g -> g.tableName(table).key(key(i))).build()).toList()));
                    total = read.responses().stream().mapToLong(x -> Long.parseLong(x.item().get("balance").n())).sum();
                } catch (TransactionCanceledException stillHeld) {
                    Thread.sleep(200); // locks of the dead process's transactions, until they time out
                }
            }
            assertEquals(1000L * accounts, total, "TransactGetItems after the kill");
            long single = 0;
            for (int i = 0; i < accounts; i++) {
                int id = i;
                single += Long.parseLong(c.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true)).item()
                        .get("balance").n());
                c.updateItem(r -> r.tableName(table).key(key(id)).updateExpression("ADD touched :one")
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
            }
            assertEquals(1000L * accounts, single, "single reads after the kill");
            assertTrue(committed.get() >= 40);
            System.out.printf("transaction kill test: %d transactions committed before the kill%n", committed.get());
        }
    }
}
