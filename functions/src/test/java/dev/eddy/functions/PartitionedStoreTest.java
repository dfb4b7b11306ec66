package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.functions.faults.NetworkPartition;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.infinispan.AdvancedCache;
import org.infinispan.health.HealthStatus;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.infinispan.partitionhandling.PartitionHandling;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * What a client sees while the store is cut in two by a network partition (issue 15, scenario 6): the
 * cluster's table caches have the deployment's partition handling (DENY_READ_WRITES), and one of two
 * nodes is cut off from the other by a JGroups DISCARD, so neither side holds a majority and both refuse
 * reads and writes. Every request that needs the store is answered ServiceUnavailable with HTTP 503,
 * which the AWS SDK retries (not InternalServerError), nothing refused is applied, and once the
 * partition heals the same requests succeed. And change records that were waiting when the partition
 * came are carried out after it without another write.
 */
@QuarkusTest
@TestProfile(PartitionedStoreTest.SplittingCluster.class)
class PartitionedStoreTest extends DynamoTestBase {

    /**
     * Two nodes with the deployment's partition handling, and a Kafka broker. Identities live a minute, so
     * that this process is never taken for dead during a partition (the sweeper would then finish its
     * records, hiding whether the process itself does).
     */
    public static class SplittingCluster implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(InfinispanCluster.class, Map.of(InfinispanCluster.DENY_WHEN_SPLIT, "true")),
                    new TestResourceEntry(KafkaBroker.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("eddy.leases.duration", "PT60S");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final int ATTEMPTS = 3;

    /** A client that retries as the SDK does by default (here 3 attempts), counting the attempts it sends. */
    private DynamoDbClient retryingClient(AtomicInteger sent) throws Exception {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint.toURI())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(ATTEMPTS))
                        .addExecutionInterceptor(new ExecutionInterceptor() {
                            @Override
                            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                                sent.incrementAndGet();
                            }
                        }))
                .build();
    }

    private static Map<String, AttributeValue> item(String id, String value) {
        return Map.of("id", AttributeValue.fromS(id), "v", AttributeValue.fromS(value));
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }

    /** Runs a request the partition must refuse: ServiceUnavailable, 503, after every attempt the client may make. */
    private static void assertRefusedAndRetried(AtomicInteger sent, String what, Supplier<?> request) {
        sent.set(0);
        DynamoDbException e = assertThrows(DynamoDbException.class, request::get, what + " during the partition");
        assertEquals(503, e.statusCode(), what + ": " + e.getMessage());
        assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode(), what);
        assertEquals(ATTEMPTS, sent.get(), what + " is retried by the SDK");
    }

    /** Waits until every cache with partition handling, on every node, is in this mode (each cache decides for itself). */
    private static void awaitEveryCache(AvailabilityMode wanted) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!InfinispanCluster.running.stream().allMatch(n -> partitionHandled(n).stream().allMatch(
                c -> c.getAvailability() == wanted))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the caches never all became " + wanted + ": " + InfinispanCluster.running.stream()
                        .map(n -> partitionHandled(n).stream().map(c -> c.getName() + " " + c.getAvailability()).toList())
                        .toList());
            }
            Thread.sleep(100);
        }
    }

    /** The running caches of a node that deny reads and writes when split: Eddy's, made from the table template. */
    private static List<AdvancedCache<?, ?>> partitionHandled(EmbeddedInfinispan node) {
        EmbeddedCacheManager manager = node.cacheManager();
        return manager.getCacheNames().stream()
                .filter(name -> manager.isRunning(name) && manager.getCacheConfiguration(name).clustering()
                        .partitionHandling().whenSplit() == PartitionHandling.DENY_READ_WRITES)
                .<AdvancedCache<?, ?>>map(name -> manager.getCache(name).getAdvancedCache())
                .toList();
    }

    private static void awaitHealthy() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!InfinispanCluster.running.stream().allMatch(
                n -> n.cacheManager().getHealth().getClusterHealth().getHealthStatus() == HealthStatus.HEALTHY)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the cluster never became HEALTHY again after the partition healed");
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aPartitionIsServiceUnavailableWhichTheSdkRetriesAndNothingRefusedIsApplied() throws Exception {
        String table = createTable("split", "id", ScalarAttributeType.S, null, null);
        dynamo.putItem(r -> r.tableName(table).item(item("before", "1")));
        NetworkPartition cutOff = NetworkPartition.of(InfinispanCluster.running.get(1).cacheManager());
        AtomicInteger sent = new AtomicInteger();
        try (DynamoDbClient retrying = retryingClient(sent)) {
            cutOff.cutOff();
            try {
                awaitEveryCache(AvailabilityMode.DEGRADED_MODE);
                assertRefusedAndRetried(sent, "PutItem", () -> retrying.putItem(r -> r.tableName(table).item(item("during", "1"))));
                assertRefusedAndRetried(sent, "a strongly consistent GetItem",
                        () -> retrying.getItem(r -> r.tableName(table).key(key("before")).consistentRead(true)));
                assertRefusedAndRetried(sent, "UpdateItem", () -> retrying.updateItem(r -> r.tableName(table)
                        .key(key("before")).updateExpression("SET v = :v")
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("2")))));
                assertRefusedAndRetried(sent, "TransactWriteItems", () -> retrying.transactWriteItems(r -> r.transactItems(
                        t -> t.put(p -> p.tableName(table).item(item("tx-1", "1"))),
                        t -> t.put(p -> p.tableName(table).item(item("tx-2", "1"))))));
            } finally {
                cutOff.heal();
            }
            awaitEveryCache(AvailabilityMode.AVAILABLE);
            awaitHealthy();
            // nothing refused was applied, and the store serves again
            assertEquals("1", retrying.getItem(r -> r.tableName(table).key(key("before")).consistentRead(true))
                    .item().get("v").s());
            for (String refused : List.of("during", "tx-1", "tx-2")) {
                assertFalse(retrying.getItem(r -> r.tableName(table).key(key(refused)).consistentRead(true)).hasItem(),
                        refused + " was refused and must not be there");
            }
            sent.set(0);
            retrying.putItem(r -> r.tableName(table).item(item("after", "1")));
            assertTrue(retrying.getItem(r -> r.tableName(table).key(key("after")).consistentRead(true)).hasItem());
        }
    }

    /**
     * A write's stream record waits in its page while Kafka is away; a partition then makes the retries
     * fail on the store as well (the catalog cannot be read). Once both are back the record reaches the
     * stream with no further write: the process's retries kept the page (they used to drop what a failed
     * pass had taken, leaving it to the page's next write).
     */
    @Test
    void aRecordWaitingThroughAPartitionReachesTheStreamAfterIt() throws Exception {
        String table = createTable("waiting", "id", ScalarAttributeType.S, null, null);
        dynamo.updateTable(r -> r.tableName(table).streamSpecification(s -> s.streamEnabled(true)
                .streamViewType(software.amazon.awssdk.services.dynamodb.model.StreamViewType.NEW_IMAGE)));
        String arn = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
        NetworkPartition cutOff = NetworkPartition.of(InfinispanCluster.running.get(1).cacheManager());
        KafkaBroker.stopBroker();
        try {
            dynamo.putItem(r -> r.tableName(table).item(item("waits", "1")));
            Thread.sleep(1_000); // retries fail on Kafka
            cutOff.cutOff();
            try {
                awaitEveryCache(AvailabilityMode.DEGRADED_MODE);
                Thread.sleep(4_000); // and now on the store (a pass every 0.5 s)
            } finally {
                cutOff.heal();
            }
            awaitEveryCache(AvailabilityMode.AVAILABLE);
            awaitHealthy();
        } finally {
            KafkaBroker.startBroker();
        }
        try (var streams = software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient.builder()
                .endpointOverride(endpoint.toURI()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String shard = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().get(0).shardId();
            String iterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
                    .shardIteratorType(software.amazon.awssdk.services.dynamodb.model.ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            List<software.amazon.awssdk.services.dynamodb.model.Record> got = new java.util.ArrayList<>();
            // Generous: after its outage the Kafka client may take its full API timeout (60 s) before a
            // retry gets through; what is checked is that the record arrives with no further write.
            long deadline = System.currentTimeMillis() + 180_000;
            while (got.isEmpty() && System.currentTimeMillis() < deadline) {
                String from = iterator;
                var page = streams.getRecords(r -> r.shardIterator(from));
                got.addAll(page.records());
                iterator = page.nextShardIterator();
                Thread.sleep(250);
            }
            assertEquals(1, got.size(), "the waiting record reached the stream, once");
            assertEquals("waits", got.get(0).dynamodb().keys().get("id").s());
        }
    }
    /**
     * While Kafka is away a write's stream record waits in its page, but its global index entry does not
     * wait behind it: each write's completion used to wait out its send first (two completion threads),
     * so the index fell further behind with every write (fault scenario 3's full form, Kafka away 60 s:
     * 10 items' entries still behind at its check). Now, once a send found Kafka away, writes leave their
     * records to the retry pass, which tries Kafka once per pass.
     */
    @Test
    void theIndexKeepsUpWhileKafkaIsAway() throws Exception {
        String table = uniqueName("indexed");
        dynamo.createTable(b -> b.tableName(table)
                .billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("v").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.HASH))
                .globalSecondaryIndexes(g -> g.indexName("byV")
                        .keySchema(k -> k.attributeName("v").keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.HASH))
                        .projection(pr -> pr.projectionType(software.amazon.awssdk.services.dynamodb.model.ProjectionType.KEYS_ONLY)))
                .streamSpecification(st -> st.streamEnabled(true)
                        .streamViewType(software.amazon.awssdk.services.dynamodb.model.StreamViewType.KEYS_ONLY)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
        int items = 40;
        KafkaBroker.stopBroker();
        int indexed = 0;
        try {
            for (int i = 0; i < items; i++) {
                int n = i;
                dynamo.putItem(r -> r.tableName(table).item(item("k" + n, "same")));
            }
            // Generous for a busy machine; before, the last entry came after about 40 sends' timeouts
            // (each up to 10.5 s here) shared by two threads, several minutes.
            long deadline = System.currentTimeMillis() + 60_000;
            while (indexed < items && System.currentTimeMillis() < deadline) {
                indexed = dynamo.query(r -> r.tableName(table).indexName("byV").keyConditionExpression("v = :v")
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("same")))).count();
                Thread.sleep(250);
            }
        } finally {
            KafkaBroker.startBroker();
        }
        assertEquals(items, indexed, "every write's index entry, while Kafka was away");
    }
}
