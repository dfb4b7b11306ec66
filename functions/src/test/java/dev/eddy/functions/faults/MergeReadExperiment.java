package dev.eddy.functions.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Runnable experiment, not part of CI: do strongly consistent reads answer a value older than one
 * already acknowledged while one Infinispan node (the coordinator) is cut off from the others, and
 * while it merges back? The fault suite's cluster (3 nodes, the k8s template, 2 function instances);
 * writer threads each own items and set each one's value to 1, 2, 3... (so a value below the last
 * acknowledged one when a read was sent is stale); reader threads read every item with
 * ConsistentRead through both instances. The split lasts {@code splitSeconds}; reads go on until
 * the cluster is HEALTHY again and 10 s more. Prints stale reads, errors and answers per phase.
 *
 * <p>Arguments: workDir [splitSeconds=20] [items=300]. Which merge policy the nodes use is the
 * template's (k8s/20-infinispan-config.yaml).
 */
public final class MergeReadExperiment {
    private static final String TABLE = "merge-reads";
    private static final int WRITERS = 4;
    private static final int READERS = 4;

    private static final String[] PHASES = {"split", "merge"};
    private static volatile int phase;
    private static volatile long healedAt;
    private static final AtomicLong[] reads = {new AtomicLong(), new AtomicLong()};
    private static final AtomicLong[] stale = {new AtomicLong(), new AtomicLong()};
    private static final AtomicLong[] writes = {new AtomicLong(), new AtomicLong()};
    private static final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private static final List<String> examples = java.util.Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int splitSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int items = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Files.createDirectories(work);
        try (FaultCluster cluster = FaultCluster.start(work, Map.of())) {
            List<DynamoDbClient> clients = new ArrayList<>();
            for (EddyInstance f : cluster.functions) {
                clients.add(MixedLoad.client(f.endpoint()));
            }
            DynamoDbClient first = clients.get(0);
            first.createTable(r -> r.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
            first.waiter().waitUntilTableExists(r -> r.tableName(TABLE));
            AtomicLongArray acknowledged = new AtomicLongArray(items);
            for (int i = 0; i < items; i++) {
                int item = i;
                first.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s("i" + item), "v", n(0))));
            }
            running = true;
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                threads.add(start("writer-" + w, () -> write(clients, acknowledged, writer, items)));
            }
            for (int r = 0; r < READERS; r++) {
                int reader = r;
                threads.add(start("reader-" + r, () -> read(clients, acknowledged, reader, items)));
            }
            Thread.sleep(3_000);
            int node = cluster.coordinator();
            System.out.printf("cutting off node %d (the coordinator)%n", node + 1);
            cluster.partition(node, true);
            Thread.sleep(splitSeconds * 1000L);
            String during = cluster.health(0) + " | " + cluster.health(1) + " | " + cluster.health(2);
            phase = 1;
            healedAt = System.currentTimeMillis();
            cluster.partition(node, false);
            cluster.awaitInfinispanHealthy(180_000);
            long healthy = System.currentTimeMillis();
            Thread.sleep(10_000);
            running = false;
            for (Thread t : threads) {
                t.join(60_000);
            }
            System.out.printf("health during the split: %s; HEALTHY %.1f s after the heal%n", during,
                    (healthy - healedAt) / 1000.0);
            for (int p = 0; p < 2; p++) {
                System.out.printf("MERGE-READS %s: reads answered %d, stale %d; writes acknowledged %d%n", PHASES[p],
                        reads[p].get(), stale[p].get(), writes[p].get());
            }
            System.out.println("MERGE-READS errors: " + errors);
            examples.stream().limit(20).forEach(e -> System.out.println("  stale: " + e));
        }
    }

    private static volatile boolean running;

    private static void write(List<DynamoDbClient> clients, AtomicLongArray acknowledged, int writer, int items) {
        long[] next = new long[items];
        int k = 0;
        while (running) {
            for (int i = writer; i < items && running; i += WRITERS) {
                int item = i;
                long v = Math.max(next[i], acknowledged.get(i)) + 1;
                next[i] = v;
                int p = phase;
                try {
                    clients.get(k++ % clients.size()).updateItem(r -> r.tableName(TABLE).key(Map.of("pk", s("i" + item)))
                            .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", n(v))));
                    acknowledged.accumulateAndGet(i, v, Math::max);
                    writes[p].incrementAndGet();
                } catch (RuntimeException e) {
                    error("write", e);
                }
            }
        }
    }

    private static void read(List<DynamoDbClient> clients, AtomicLongArray acknowledged, int reader, int items) {
        int k = reader;
        while (running) {
            for (int i = 0; i < items && running; i++) {
                int item = i;
                long floor = acknowledged.get(i);
                int p = phase;
                try {
                    var item0 = clients.get(k++ % clients.size()).getItem(r -> r.tableName(TABLE).consistentRead(true)
                            .key(Map.of("pk", s("i" + item)))).item();
                    long v = Long.parseLong(item0.get("v").n());
                    reads[p].incrementAndGet();
                    if (v < floor) {
                        stale[p].incrementAndGet();
                        examples.add("i" + item + " read " + v + " after " + floor + " was acknowledged, "
                                + (p == 0 ? "during the split" : String.format("%.1f s after the heal",
                                (System.currentTimeMillis() - healedAt) / 1000.0)));
                    }
                } catch (RuntimeException e) {
                    error("read", e);
                }
            }
        }
    }

    private static void error(String what, RuntimeException e) {
        String kind = e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s
                ? s.awsErrorDetails().errorCode() + " (" + s.statusCode() + ")" : e.getClass().getSimpleName();
        errors.computeIfAbsent(PHASES[phase] + " " + what + " " + kind, x -> new AtomicLong()).incrementAndGet();
    }

    private static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private MergeReadExperiment() {
    }
}
