package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
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

/**
 * Transactions recover by themselves (issue: crash-safe upkeep): transfers between accounts run
 * from two processes while one or the other is killed (SIGKILL) at random moments and started
 * again, three times in CI ({@code -Dtransaction-recovery.cycles=N} for a longer run). Afterwards,
 * with no further write, the total is conserved whichever way it is read (a strongly consistent
 * Scan, a Query per account, TransactGetItems, GetItem), and the four
 * agree item by item: a transaction cut short is applied whole or not at all, and a committed one
 * whose coordinator died is applied by the recovery duty without waiting for a write.
 */
class TransactionRecoveryIT {
    private static final int ACCOUNTS = 6;
    private static final int CYCLES = Integer.getInteger("transaction-recovery.cycles", 3);
    private static final InfinispanCluster cluster = new InfinispanCluster();
    private static Map<String, String> config;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        String servers = cluster.startNodes(2);
        work = Files.createTempDirectory("eddy-tx-kill");
        config = Map.of("eddy.infinispan.servers", servers, "eddy.transactions.timeout", "PT2S",
                "eddy.leases.duration", "PT3S");
    }

    @AfterAll
    static void stop() {
        cluster.stop();
    }

    private static Map<String, AttributeValue> key(int account) {
        return Map.of("pk", AttributeValue.fromS("acct" + account), "sk", AttributeValue.fromS("balance"));
    }

    private static TransactWriteItem add(String table, int account, long amount) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(account))
                .updateExpression("ADD balance :a").expressionAttributeValues(Map.of(":a",
                        AttributeValue.fromN(Long.toString(amount))))).build();
    }

    /** Transfers from one process until it dies or {@code until} passes; counts the committed ones. */
    private static Future<?> transfers(ExecutorService pool, AppProcess app, String table, int seed, long until,
                                       AtomicInteger committed) {
        return pool.submit(() -> {
            Random random = new Random(seed);
            try (DynamoDbClient c = app.client()) {
                while (System.currentTimeMillis() < until) {
                    int from = random.nextInt(ACCOUNTS);
                    int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    int third = (to + 1) % ACCOUNTS == from ? (to + 2) % ACCOUNTS : (to + 1) % ACCOUNTS;
                    long amount = 1 + random.nextInt(50);
                    try {
                        // Three items per transaction, so a kill lands between locks, the commit and the applies.
                        c.transactWriteItems(r -> r.transactItems(add(table, from, -amount), add(table, to, amount - 1),
                                add(table, third, 1)));
                        committed.incrementAndGet();
                    } catch (TransactionCanceledException conflict) {
                        // another one, then
                    } catch (RuntimeException killed) {
                        return null;
                    }
                }
            }
            return null;
        });
    }

    @Test
    void transactionsCutShortByKillsAreAppliedWholeOrNotAtAllAndEveryReadAgrees() throws Exception {
        String table = "Bank";
        AtomicInteger committed = new AtomicInteger();
        AppProcess[] apps = {AppProcess.start(work, config), AppProcess.start(work, config)};
        Random random = new Random(42);
        try (DynamoDbClient c = apps[0].client()) {
            c.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S)));
            c.waiter().waitUntilTableExists(r -> r.tableName(table));
            for (int i = 0; i < ACCOUNTS; i++) {
                int id = i;
                c.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("acct" + id),
                        "sk", AttributeValue.fromS("balance"), "balance", AttributeValue.fromN("1000"))));
            }
        }
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                long until = System.currentTimeMillis() + 60_000;
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    running.add(transfers(pool, apps[t % 2], table, cycle * 10 + t, until, committed));
                }
                int before = committed.get();
                long runFor = 300 + random.nextInt(1500);
                Thread.sleep(runFor);
                while (committed.get() < before + 10) {
                    Thread.sleep(10);
                }
                int victim = random.nextInt(2);
                apps[victim].kill();
                apps[1 - victim].stop(); // the other's threads end too (gracefully), so each cycle starts afresh
                for (Future<?> f : running) {
                    f.get();
                }
                apps[0] = AppProcess.start(work, config);
                apps[1] = AppProcess.start(work, config);
            }
            long restartedAt = System.currentTimeMillis();
            try (DynamoDbClient c = apps[0].client()) {
                Map<Integer, Long> scan = null;
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline) {
                    scan = scan(c, table);
                    if (total(scan) == 1000L * ACCOUNTS && transactGet(c, table) != null) {
                        break;
                    }
                    Thread.sleep(250); // the recovery duty settles what the dead coordinators left
                }
                assertEquals(1000L * ACCOUNTS, total(scan), "a strongly consistent Scan conserves the total: " + scan);
                Map<Integer, Long> queries = new TreeMap<>();
                Map<Integer, Long> gets = new TreeMap<>();
                for (int i = 0; i < ACCOUNTS; i++) {
                    int id = i;
                    queries.put(i, Long.parseLong(c.query(r -> r.tableName(table).consistentRead(true)
                            .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p",
                                    AttributeValue.fromS("acct" + id)))).items().get(0).get("balance").n()));
                    gets.put(i, Long.parseLong(c.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true))
                            .item().get("balance").n()));
                }
                Map<Integer, Long> snapshot = transactGet(c, table);
                assertEquals(scan, queries, "a Query per account agrees with the Scan, item by item");
                assertEquals(scan, gets, "GetItem agrees, item by item");
                assertEquals(scan, snapshot, "TransactGetItems agrees, item by item");
                assertTrue(committed.get() >= CYCLES * 10);
                System.out.printf("transaction recovery: %d transactions committed over %d kills; settled %d ms after the last restart%n",
                        committed.get(), CYCLES, System.currentTimeMillis() - restartedAt);
            }
        } finally {
            pool.shutdownNow();
            for (AppProcess a : apps) {
                a.close();
            }
        }
    }

    private static Map<Integer, Long> scan(DynamoDbClient c, String table) {
        Map<Integer, Long> out = new TreeMap<>();
        c.scan(r -> r.tableName(table).consistentRead(true)).items().forEach(i -> out.put(
                Integer.parseInt(i.get("pk").s().substring(4)), Long.parseLong(i.get("balance").n())));
        return out;
    }

    private static long total(Map<Integer, Long> balances) {
        return balances.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The balances by TransactGetItems, or null while an item is still held by a transaction. */
    private static Map<Integer, Long> transactGet(DynamoDbClient c, String table) {
        try {
            var read = c.transactGetItems(q -> q.transactItems(IntStream.range(0, ACCOUNTS)
                    .mapToObj(i -> TransactGetItem.builder().get(g -> g.tableName(table).key(key(i))).build()).toList()));
            Map<Integer, Long> out = new TreeMap<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                out.put(i, Long.parseLong(read.responses().get(i).item().get("balance").n()));
            }
            return out;
        } catch (TransactionCanceledException held) {
            return null;
        }
    }
}
