package dev.eddy.functions.faults;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A steady mixed load on one table, from several threads, spread over the function instances:
 * conditional puts and updates of items each thread alone writes (moving them between the groups of
 * a global index), ADD counters every thread increments, transfers between accounts in
 * TransactWriteItems (with an idempotency token), and strongly consistent reads that must show the
 * writer's last write. The table has a global index, a stream (read by a trigger) and Time to Live.
 * Everything is written down ({@link WriteChain}, transfer ids) for {@link FullCheck}.
 */
final class MixedLoad implements AutoCloseable {
    static {
        // HttpURLConnection (the SDK's url-connection client) sends a POST again on a new connection when the
        // first one's answer does not come; an applied write could then fail as "connection refused", which
        // the load takes for never sent. bin/fault-suite and the failsafe run set this at the JVM's start too
        // (it is read once, when the JDK's HTTP client first loads).
        System.setProperty("sun.net.http.retryPost", "false");
    }

    static final String INDEX = "byGroup";
    static final int ACCOUNT_START = 1000;

    /** How much load: threads, items per thread, shared counters and accounts, pause between requests. */
    record Shape(int threads, int itemsPerThread, int counters, int accounts, int pauseMillis) {
    }

    final String table;
    final Shape shape;
    private final List<DynamoDbClient> clients = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    final ClientErrors errors = new ClientErrors();
    /** item key -> its writer's chain */
    final Map<String, WriteChain> items = new ConcurrentHashMap<>();
    /** "counter-c/thread" -> that thread's chain of marks on the counter */
    final Map<String, WriteChain> counterMarks = new ConcurrentHashMap<>();
    final Set<String> transfersAcknowledged = ConcurrentHashMap.newKeySet();
    final Set<String> transfersUnanswered = ConcurrentHashMap.newKeySet();
    /** Reads that showed what the writer could not have left (stale or lost state). */
    final List<String> readViolations = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicLong writesAcknowledged = new AtomicLong();
    /**
     * What each item's writer sent and was told, in order (time, write, instance, answer): printed with a
     * problem the check finds on that item, to set against the processes' logs.
     */
    final Map<String, java.util.Queue<String>> trace = new ConcurrentHashMap<>();
    /** The function instance (index) the calling thread's last request went to. */
    private final ThreadLocal<Integer> lastInstance = ThreadLocal.withInitial(() -> -1);
    final AtomicLong readsAnswered = new AtomicLong();
    /** When a write was last acknowledged (System.currentTimeMillis). */
    final AtomicLong lastAcknowledgedAt = new AtomicLong();
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();

    MixedLoad(String table, Shape shape, List<URI> endpoints) {
        this.table = table;
        this.shape = shape;
        for (URI endpoint : endpoints) {
            clients.add(client(endpoint));
        }
    }

    static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("faults", "faults")))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(20)).build())
                // every error reaches the load as it is: it decides what may be sent again
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))
                        .apiCallTimeout(Duration.ofSeconds(30)))
                .build();
    }

    /** Creates the table (key pk, index on g, stream, Time to Live on "expires") and the accounts. */
    void createTable() throws Exception {
        untilAnswered(c -> c.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("g").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexes(g -> g.indexName(INDEX)
                        .keySchema(KeySchemaElement.builder().attributeName("g").keyType(KeyType.HASH).build())
                        .projection(p -> p.projectionType(ProjectionType.ALL)))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES))));
        untilAnswered(c -> {
            c.waiter().waitUntilTableExists(r -> r.tableName(table));
            return null;
        });
        untilAnswered(c -> c.updateTimeToLive(r -> r.tableName(table)
                .timeToLiveSpecification(s -> s.enabled(true).attributeName("expires"))));
        for (int a = 0; a < shape.accounts(); a++) {
            String pk = "acct-" + a;
            untilAnswered(c -> c.putItem(r -> r.tableName(table).item(Map.of("pk", s(pk), "w", s("init"),
                    "balance", n(ACCOUNT_START)))));
        }
    }

    void start() {
        running = true;
        for (int t = 0; t < shape.threads(); t++) {
            int id = t;
            Thread thread = new Thread(() -> run(id), "load-" + table + "-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Stops the load, then settles every write whose answer was lost by reading the item it went to. */
    void stop() throws Exception {
        running = false;
        for (Thread t : threads) {
            t.join(120_000);
        }
        // A request starts no change later than eddy.requests.timeout (10 s) after it came in, under the clients'
        // 20 s read timeout: every thread has ended its last request, so what is left is a change already sent to
        // the servers, which lands within moments (a change handed to a client that stalls right then is later).
        Thread.sleep(3_000);
        for (Map.Entry<String, WriteChain> e : items.entrySet()) {
            if (e.getValue().hasPending()) {
                String read = readString(e.getKey(), "w");
                note(e.getKey(), "settling read after the load: " + read);
                e.getValue().settle(read, e.getKey());
            }
        }
        for (Map.Entry<String, WriteChain> e : counterMarks.entrySet()) {
            if (e.getValue().hasPending()) {
                String[] parts = e.getKey().split("/");
                e.getValue().settle(readString(parts[0], "m" + parts[1]), e.getKey());
            }
        }
    }

    private void run(int thread) {
        Random random = new Random(table.hashCode() * 31L + thread);
        long seq = 0;
        while (running) {
            String write = thread + ":" + (++seq);
            double op = random.nextDouble();
            try {
                if (op < 0.30) {
                    writeItem(thread, random, write, false);
                } else if (op < 0.50) {
                    writeItem(thread, random, write, true);
                } else if (op < 0.65) {
                    count(thread, random, write);
                } else if (op < 0.80) {
                    transfer(thread, random, seq);
                } else {
                    readItem(thread, random);
                }
            } catch (RuntimeException e) {
                pause(100); // recorded where it happened
            }
            pause(shape.pauseMillis());
        }
    }

    private void writeItem(int thread, Random random, String write, boolean update) {
        String pk = "item-" + thread + "-" + random.nextInt(shape.itemsPerThread());
        WriteChain chain = items.computeIfAbsent(pk, k -> new WriteChain());
        String prev = chain.lastKnown();
        String group = "g" + random.nextInt(8);
        String condition = prev == null ? "attribute_not_exists(pk)" : "w = :prev";
        String sent = write + (update ? " update" : " put") + " if " + prev; // as the item's trace names it
        Map<String, AttributeValue> values = new java.util.HashMap<>();
        if (prev != null) {
            values.put(":prev", s(prev));
        }
        try {
            if (update && prev != null) {
                values.put(":w", s(write));
                values.put(":g", s(group));
                call(c -> c.updateItem(r -> r.tableName(table).key(Map.of("pk", s(pk)))
                        .updateExpression("SET w = :w, g = :g").conditionExpression(condition)
                        .expressionAttributeValues(values)));
            } else {
                Map<String, AttributeValue> item = Map.of("pk", s(pk), "w", s(write), "g", s(group),
                        "pad", s("x".repeat(200)));
                call(c -> c.putItem(r -> r.tableName(table).item(item).conditionExpression(condition)
                        .expressionAttributeValues(values.isEmpty() ? null : values)));
            }
            chain.acknowledged(write);
            acknowledged();
            note(pk, sent + ": ok");
        } catch (ConditionalCheckFailedException moved) {
            note(pk, sent + ": condition failed");
            String read = readString(pk, "w");
            note(pk, "strong read: " + read);
            chain.settle(read, pk);
        } catch (RuntimeException e) {
            note(pk, sent + ": " + briefly(e));
            if (!ClientErrors.neverSent(e)) {
                chain.unanswered(write);
            }
            throw e;
        }
    }

    /** Adds to an item's trace: when, which instance, what. */
    void note(String pk, String event) {
        trace.computeIfAbsent(pk, k -> new java.util.concurrent.ConcurrentLinkedQueue<>())
                .add(java.time.LocalTime.now() + " f" + (lastInstance.get() + 1) + " " + event);
    }

    private static String briefly(RuntimeException e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        return text.length() > 160 ? text.substring(0, 160) : text;
    }

    private void count(int thread, Random random, String write) {
        String pk = "counter-" + random.nextInt(shape.counters());
        WriteChain chain = counterMarks.computeIfAbsent(pk + "/" + thread, k -> new WriteChain());
        String prev = chain.lastKnown();
        String mark = "m" + thread;
        Map<String, AttributeValue> values = new java.util.HashMap<>(Map.of(":one", n(1), ":w", s(write)));
        if (prev != null) {
            values.put(":prev", s(prev));
        }
        try {
            call(c -> c.updateItem(r -> r.tableName(table).key(Map.of("pk", s(pk)))
                    .updateExpression("ADD n :one SET #m = :w, w = :w")
                    .conditionExpression(prev == null ? "attribute_not_exists(#m)" : "#m = :prev")
                    .expressionAttributeNames(Map.of("#m", mark)).expressionAttributeValues(values)));
            chain.acknowledged(write);
            acknowledged();
        } catch (ConditionalCheckFailedException moved) {
            chain.settle(readString(pk, mark), pk + "/" + thread);
        } catch (RuntimeException e) {
            if (!ClientErrors.neverSent(e)) {
                chain.unanswered(write);
            }
            throw e;
        }
    }

    private void transfer(int thread, Random random, long seq) {
        int from = random.nextInt(shape.accounts());
        int to = (from + 1 + random.nextInt(shape.accounts() - 1)) % shape.accounts();
        int amount = 1 + random.nextInt(10);
        String id = "x" + thread + "-" + seq;
        List<TransactWriteItem> actions = List.of(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", s("acct-" + from)))
                        .updateExpression("ADD balance :a SET w = :id")
                        .expressionAttributeValues(Map.of(":a", n(-amount), ":id", s(id)))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", s("acct-" + to)))
                        .updateExpression("ADD balance :a SET w = :id")
                        .expressionAttributeValues(Map.of(":a", n(amount), ":id", s(id)))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of("pk", s("xfer-" + id), "w", s(id),
                        "from", n(from), "to", n(to), "amount", n(amount)))
                        .conditionExpression("attribute_not_exists(pk)")).build());
        try {
            // tokens are the account's, not the table's: the scenarios' tables share transfer ids
            call(c -> c.transactWriteItems(r -> r.transactItems(actions).clientRequestToken(table + "/" + id)));
            transfersAcknowledged.add(id);
            acknowledged();
        } catch (TransactionCanceledException conflict) {
            // not applied (a conflict with another transfer)
        } catch (RuntimeException e) {
            if (!ClientErrors.neverSent(e)) {
                transfersUnanswered.add(id);
            }
            throw e;
        }
    }

    private void readItem(int thread, Random random) {
        String pk = "item-" + thread + "-" + random.nextInt(shape.itemsPerThread());
        WriteChain chain = items.get(pk);
        if (chain == null) {
            return;
        }
        var item = call(c -> c.getItem(r -> r.tableName(table).key(Map.of("pk", s(pk))).consistentRead(true))).item();
        readsAnswered.incrementAndGet();
        String current = item == null || !item.containsKey("w") ? null : item.get("w").s();
        note(pk, "strong read: " + current);
        if (!chain.couldRead(current)) {
            readViolations.add(pk + ": a strongly consistent read showed " + current + " where its writer's last write is "
                    + chain.lastKnown() + " (pending " + chain.pendingSet() + "; read at " + java.time.LocalTime.now() + ")");
        }
    }

    private void acknowledged() {
        writesAcknowledged.incrementAndGet();
        lastAcknowledgedAt.set(System.currentTimeMillis());
    }

    /** One attribute of an item by a strongly consistent read, asked until Eddy answers (a minute at most). */
    String readString(String pk, String attribute) {
        var item = untilAnswered(c -> c.getItem(r -> r.tableName(table).key(Map.of("pk", s(pk))).consistentRead(true)))
                .item();
        return item == null || !item.containsKey(attribute) ? null : item.get(attribute).s();
    }

    /**
     * Sends a request to the next function instance; one that refuses the connection (it is not
     * running, so the request was never sent) passes it to the next, as a load balancer would.
     * Anything else is recorded and thrown.
     */
    <T> T call(Function<DynamoDbClient, T> request) {
        int start = Math.floorMod(next.getAndIncrement(), clients.size());
        RuntimeException last = null;
        for (int i = 0; i < clients.size(); i++) {
            try {
                lastInstance.set((start + i) % clients.size());
                return request.apply(clients.get((start + i) % clients.size()));
            } catch (ConditionalCheckFailedException | TransactionCanceledException expected) {
                if (expected instanceof TransactionCanceledException) {
                    errors.record(expected);
                }
                throw expected;
            } catch (RuntimeException e) {
                errors.record(e);
                last = e;
                if (!ClientErrors.neverSent(e)) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /** A request sent until it is answered (errors are recorded), for setup, settling and checks. */
    <T> T untilAnswered(Function<DynamoDbClient, T> request) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try {
                return call(request);
            } catch (ConditionalCheckFailedException | TransactionCanceledException answered) {
                throw answered;
            } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException exists) {
                return null;
            } catch (RuntimeException e) {
                if (alreadyDone(e)) {
                    return null; // an earlier attempt applied, though its answer was an error (503, a timeout)
                }
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                pause(250);
            }
        }
    }

    /** A setup request refused because an earlier attempt of it had applied (its answer lost or an error). */
    private static boolean alreadyDone(RuntimeException e) {
        return e instanceof software.amazon.awssdk.services.dynamodb.model.DynamoDbException d && d.statusCode() == 400
                && d.awsErrorDetails() != null && d.awsErrorDetails().errorMessage() != null
                && d.awsErrorDetails().errorMessage().contains("TimeToLive is already enabled");
    }

    DynamoDbClient anyClient() {
        return clients.get(0);
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        clients.forEach(DynamoDbClient::close);
    }
}
