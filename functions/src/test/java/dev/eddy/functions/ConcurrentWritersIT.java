package dev.eddy.functions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two application instances, separate processes, over one two-node Infinispan cluster: threads on
 * both write the same item collection at once (an ADD counter on one item and new items beside
 * it, enough to split the collection into pages while they race), and every write is there
 * afterwards.
 */
class ConcurrentWritersIT {
    private static final int THREADS_PER_INSTANCE = 4;
    private static final int ADDS_PER_THREAD = 150;
    private static final int PUTS_PER_THREAD = 50;

    private static final InfinispanCluster cluster = new InfinispanCluster();
    private static final List<AppProcess> apps = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        String servers = cluster.startNodes(2);
        Path work = Files.createTempDirectory("eddy-concurrent");
        for (int i = 0; i < 2; i++) {
            // Small pages, so the collection splits while both instances write it.
            apps.add(AppProcess.start(work, Map.of("eddy.infinispan.servers", servers, "eddy.storage.page-bytes", "2048")));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AppProcess app : apps) {
            app.close();
        }
        cluster.stop();
    }

    @Test
    void noWriteIsLostWhenTwoInstancesWriteOneCollection() throws Exception {
        String table = "Counters";
        try (DynamoDbClient admin = apps.get(0).client()) {
            admin.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S)));
            admin.waiter().waitUntilTableExists(r -> r.tableName(table));
        }

        int threads = THREADS_PER_INSTANCE * apps.size();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            AppProcess app = apps.get(t % apps.size());
            int thread = t;
            done.add(pool.submit(() -> {
                try (DynamoDbClient c = app.client()) {
                    for (int i = 0; i < ADDS_PER_THREAD; i++) {
                        c.updateItem(r -> r.tableName(table)
                                .key(Map.of("pk", AttributeValue.fromS("shared"), "sk", AttributeValue.fromS("counter")))
                                .attributeUpdates(Map.of("n", AttributeValueUpdate.builder().action(AttributeAction.ADD)
                                        .value(AttributeValue.fromN("1")).build())));
                        if (i < PUTS_PER_THREAD) {
                            String sk = "item-" + thread + "-" + i;
                            c.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("shared"),
                                    "sk", AttributeValue.fromS(sk), "by", AttributeValue.fromN(Integer.toString(thread)))));
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        try (DynamoDbClient c = apps.get(1).client()) {
            Map<String, AttributeValue> counter = c.getItem(r -> r.tableName(table).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS("shared"), "sk", AttributeValue.fromS("counter")))).item();
            assertEquals(Integer.toString(threads * ADDS_PER_THREAD), counter.get("n").n(), "every ADD counted");
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < PUTS_PER_THREAD; i++) {
                    String sk = "item-" + t + "-" + i;
                    assertEquals(Integer.toString(t), c.getItem(r -> r.tableName(table).consistentRead(true)
                            .key(Map.of("pk", AttributeValue.fromS("shared"), "sk", AttributeValue.fromS(sk))))
                            .item().get("by").n(), sk + " is there");
                }
            }
        }
    }
}
