package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backup taken while writers keep changing the table holds the table as it was at one moment
 * (issue 17, item 2): writers move amounts between accounts with TransactWriteItems (each account's
 * version and balance change together, the sum of balances never), and others rewrite unrelated
 * attributes with single-item writes, from several threads, before, during and after the backup.
 * The restored table's balances add up exactly, and each account is in one of the states it really
 * had. The accounts are large enough that partitions span several pages (100 accounts of ~0.85 KB a
 * partition, past the 64 KiB a page holds before it splits; with 400-character notes each partition
 * was a single page).
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class BackupConsistencyTest extends DynamoTestBase {
    @jakarta.inject.Inject
    EddyRuntime runtime;
    private static final int ACCOUNTS = 1_200;
    private static final int PARTITIONS = 12;
    private static final long START_BALANCE = 1_000;

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static Map<String, AttributeValue> key(int account) {
        return Map.of("pk", s("p" + account % PARTITIONS), "sk", n(account));
    }

    private static Map<String, AttributeValue> account(int account, long version, long balance, String note) {
        return Map.of("pk", s("p" + account % PARTITIONS), "sk", n(account), "version", n(version),
                "balance", n(balance), "note", s(note));
    }

    /** A new table of accounts (pk S, sk N), ACTIVE. */
    private String accountsTable(String prefix) {
        String table = uniqueName(prefix);
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.N)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
        return table;
    }

    @Test
    void aBackupUnderConcurrentWritersRestoresToOneMomentOfTheTable() throws Exception {
        String table = accountsTable("ledger");
        // Every (version, balance) each account had: the initial one, and each a committed transaction wrote.
        Map<Integer, Set<String>> states = new ConcurrentHashMap<>();
        String filler = "f".repeat(800);
        for (int i = 0; i < ACCOUNTS; i++) {
            Map<String, AttributeValue> a = account(i, 0, START_BALANCE, filler);
            dynamo.putItem(r -> r.tableName(table).item(a));
            states.computeIfAbsent(i, k -> ConcurrentHashMap.newKeySet()).add("0:" + START_BALANCE);
        }

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger transfers = new AtomicInteger();
        AtomicInteger notes = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int seed = t;
            boolean transferring = t < 6;
            writers.add(pool.submit(() -> {
                Random random = new Random(seed);
                try (DynamoDbClient c = client(endpoint.toURI())) {
                    while (!stop.get()) {
                        if (transferring) {
                            transfer(c, table, random, states, transfers);
                        } else {
                            int i = random.nextInt(ACCOUNTS);
                            try {
                                c.updateItem(r -> r.tableName(table).key(key(i)).updateExpression("SET note = :n")
                                        .expressionAttributeValues(Map.of(":n", s(filler + random.nextInt()))));
                                notes.incrementAndGet();
                            } catch (DynamoDbException held) {
                                // TransactionConflictException: a transfer holds it
                            }
                        }
                    }
                }
                return null;
            }));
        }
        while (transfers.get() < 200) {
            Thread.sleep(20);
        }
        int transfersBefore = transfers.get();
        long capturedBefore = runtime.eddy().meters().count("eddy.backups.pages-captured");
        long copiedBefore = runtime.eddy().meters().count("eddy.backups.items-copied");
        long restoredBefore = runtime.eddy().meters().count("eddy.backups.items-restored");
        String arn = dynamo.createBackup(r -> r.tableName(table).backupName("under-load")).backupDetails().backupArn();
        BackupProbes.awaitAvailable(dynamo, arn);
        int transfersDuring = transfers.get() - transfersBefore;
        long captured = runtime.eddy().meters().count("eddy.backups.pages-captured") - capturedBefore;
        Thread.sleep(500);
        stop.set(true);
        for (Future<?> f : writers) {
            f.get();
        }
        pool.shutdown();

        String restored = uniqueName("ledger-restored");
        dynamo.restoreTableFromBackup(r -> r.targetTableName(restored).backupArn(arn));
        BackupProbes.awaitRestored(dynamo, restored);
        Map<String, Map<String, AttributeValue>> copy = BackupProbes.contents(dynamo, restored);
        Map<String, Map<String, AttributeValue>> now = BackupProbes.contents(dynamo, table);

        // Said on failure: which side lost accounts (the backup, the restore, or the restored table's Scan), and where.
        long backupItems = dynamo.describeBackup(r -> r.backupArn(arn)).backupDescription().sourceTableDetails().itemCount();
        String whereFrom = String.format("%d accounts in the restored table's Scan, %s; the backup counts %d items "
                        + "(DescribeBackup), its copy read %d from the table's pages and writers kept %d pages for it "
                        + "(%d writes heard of the backup from the servers before their near cache showed it), "
                        + "the restore loaded %d items; the source table's Scan finds %d accounts",
                copy.size(), shortPartitions(restored, copy, ACCOUNTS / PARTITIONS), backupItems,
                runtime.eddy().meters().count("eddy.backups.items-copied") - copiedBefore, captured,
                runtime.eddy().meters().count("eddy.backups.points-seen-late"),
                runtime.eddy().meters().count("eddy.backups.items-restored") - restoredBefore, now.size());
        assertEquals(ACCOUNTS, backupItems, "every account is in the backup: " + whereFrom);
        assertEquals(ACCOUNTS, copy.size(), "every account is in the restored table: " + whereFrom);
        long sum = 0;
        List<String> strays = new ArrayList<>();
        for (Map<String, AttributeValue> a : copy.values()) {
            int i = Integer.parseInt(a.get("sk").n());
            long balance = Long.parseLong(a.get("balance").n());
            sum += balance;
            String state = a.get("version").n() + ":" + balance;
            if (!states.get(i).contains(state)) {
                strays.add(i + " at " + state);
            }
        }
        assertEquals(List.of(), strays, "each account is in a state it had");
        assertEquals(ACCOUNTS * START_BALANCE, sum, "the balances add up: every transfer is in the backup whole or not at all");
        assertTrue(!copy.equals(now), "the table moved on after the backup's point");
        assertTrue(captured > 0, "writers kept page states for the backup (the copy did not see every page first)");
        System.out.printf("backup under load: %d transfers and %d single-item writes, %d transfers while the backup "
                + "was being made, %d pages kept by writers%n", transfers.get(), notes.get(), transfersDuring, captured);
    }

    /**
     * A backup whose cache is slow to create (as on a loaded cluster) still holds every item: writers
     * must have heard of the backup before their clocks pass its point, or what they replace past it
     * is in neither the copy nor the pages kept for it. Each partition here is one page, rewritten
     * many times a second, so a late announcement takes whole partitions out of the backup.
     */
    @Test
    void aBackupWhoseCacheIsSlowToCreateHoldsEveryItem() throws Exception {
        String table = accountsTable("slow-cache");
        int itemCount = 240;
        for (int i = 0; i < itemCount; i++) {
            Map<String, AttributeValue> a = account(i, 0, START_BALANCE, "n");
            dynamo.putItem(r -> r.tableName(table).item(a));
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int seed = t;
            writers.add(pool.submit(() -> {
                Random random = new Random(seed);
                try (DynamoDbClient c = client(endpoint.toURI())) {
                    while (!stop.get()) {
                        int i = random.nextInt(itemCount);
                        c.updateItem(r -> r.tableName(table).key(key(i)).updateExpression("SET note = :n")
                                .expressionAttributeValues(Map.of(":n", s("n" + random.nextInt()))));
                    }
                }
                return null;
            }));
        }
        SlowBackupCaches slow = new SlowBackupCaches();
        InfinispanCluster.running.forEach(node -> node.cacheManager().addListener(slow));
        String arn;
        try {
            arn = dynamo.createBackup(r -> r.tableName(table).backupName("slow-cache")).backupDetails().backupArn();
        } finally {
            InfinispanCluster.running.forEach(node -> node.cacheManager().removeListener(slow));
        }
        BackupProbes.awaitAvailable(dynamo, arn);
        stop.set(true);
        for (Future<?> f : writers) {
            f.get();
        }
        pool.shutdown();
        assertTrue(slow.delayed.get() > 0, "a backup cache's start was held back");

        long backupItems = dynamo.describeBackup(r -> r.backupArn(arn)).backupDescription().sourceTableDetails().itemCount();
        assertEquals(itemCount, backupItems, "every item is in the backup");
        String restored = uniqueName("slow-cache-restored");
        dynamo.restoreTableFromBackup(r -> r.targetTableName(restored).backupArn(arn));
        BackupProbes.awaitRestored(dynamo, restored);
        Map<String, Map<String, AttributeValue>> copy = BackupProbes.contents(dynamo, restored);
        assertEquals(itemCount, copy.size(), "every item is in the restored table: "
                + shortPartitions(restored, copy, itemCount / PARTITIONS));
    }

    /** Holds back the start of every backup's cache on a node by longer than a backup's point lies ahead of its request. */
    @org.infinispan.notifications.Listener(sync = true)
    public static final class SlowBackupCaches {
        final AtomicInteger delayed = new AtomicInteger();

        @org.infinispan.notifications.cachemanagerlistener.annotation.CacheStarted
        public void started(org.infinispan.notifications.cachemanagerlistener.event.CacheStartedEvent event)
                throws InterruptedException {
            if (event.getCacheName().startsWith(dev.eddy.core.storage.Storage.PREFIX + "backup.")) {
                delayed.incrementAndGet();
                Thread.sleep(1_500);
            }
        }
    }

    /**
     * The partitions a Scan returned short of their accounts, each with what a strongly consistent
     * Query of it finds (so a Scan that passed a partition over is told from one that is not there).
     */
    private String shortPartitions(String table, Map<String, Map<String, AttributeValue>> scanned, int each) {
        Map<String, Integer> found = new java.util.TreeMap<>();
        scanned.values().forEach(a -> found.merge(a.get("pk").s(), 1, Integer::sum));
        List<String> out = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            String pk = "p" + p;
            int n = found.getOrDefault(pk, 0);
            if (n < each) {
                int queried = 0;
                Map<String, AttributeValue> start = null;
                do {
                    Map<String, AttributeValue> from = start;
                    var page = dynamo.query(r -> r.tableName(table).consistentRead(true).exclusiveStartKey(from)
                            .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s(pk))));
                    queried += page.count();
                    start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                } while (start != null);
                out.add(pk + " (Scan " + n + ", Query " + queried + " of " + each + ")");
            }
        }
        return out.isEmpty() ? "no partition short" : "partitions short: " + String.join(", ", out);
    }

    /** Moves an amount between two accounts read just before, each write conditioned on the version read. */
    private static void transfer(DynamoDbClient c, String table, Random random, Map<Integer, Set<String>> states,
                                 AtomicInteger transfers) {
        int from = random.nextInt(ACCOUNTS);
        int to = random.nextInt(ACCOUNTS);
        if (from == to) {
            return;
        }
        try {
            var read = c.transactGetItems(r -> r.transactItems(
                    TransactGetItem.builder().get(g -> g.tableName(table).key(key(from))).build(),
                    TransactGetItem.builder().get(g -> g.tableName(table).key(key(to))).build())).responses();
            Map<String, AttributeValue> a = read.get(0).item();
            Map<String, AttributeValue> b = read.get(1).item();
            long va = Long.parseLong(a.get("version").n());
            long vb = Long.parseLong(b.get("version").n());
            long amount = 1 + random.nextInt(50);
            long ba = Long.parseLong(a.get("balance").n()) - amount;
            long bb = Long.parseLong(b.get("balance").n()) + amount;
            Map<String, AttributeValue> na = new HashMap<>(a);
            na.put("version", n(va + 1));
            na.put("balance", n(ba));
            Map<String, AttributeValue> nb = new HashMap<>(b);
            nb.put("version", n(vb + 1));
            nb.put("balance", n(bb));
            c.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(na).conditionExpression("version = :v")
                            .expressionAttributeValues(Map.of(":v", n(va)))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(nb).conditionExpression("version = :v")
                            .expressionAttributeValues(Map.of(":v", n(vb)))).build()));
            states.get(from).add((va + 1) + ":" + ba);
            states.get(to).add((vb + 1) + ":" + bb);
            transfers.incrementAndGet();
        } catch (DynamoDbException cancelled) {
            // Another transfer or write came first: nothing was written.
        }
    }
}
