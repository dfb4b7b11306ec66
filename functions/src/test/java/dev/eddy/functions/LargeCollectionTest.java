package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Item collections that outgrow one page: with 2 KB pages a few dozen items force splits, so
 * these tests cross the inline-to-paged conversion and many page splits, under concurrent writers.
 */
@QuarkusTest
@TestProfile(LargeCollectionTest.SmallPages.class)
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class LargeCollectionTest extends DynamoTestBase {

    public static class SmallPages implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("eddy.storage.page-bytes", "2048");
        }
    }

    private static Map<String, AttributeValue> key(String pk, int sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(Integer.toString(sk)));
    }

    @Test
    void everyItemOfAManyPageCollectionIsReadableWrittenAndDeletable() {
        String table = createTable("large", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        String filler = "f".repeat(100);
        // Descending, ascending and interleaved inserts split pages at both ends and in the middle.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 300; i += 2) {
            order.add(i);
        }
        for (int i = 299; i > 0; i -= 2) {
            order.add(i);
        }
        for (int sk : order) {
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("big"),
                    "sk", AttributeValue.fromN(Integer.toString(sk)), "v", AttributeValue.fromS(filler + sk))));
        }
        for (int sk = 0; sk < 300; sk++) {
            int s = sk;
            assertEquals(filler + sk, dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key("big", s)))
                    .item().get("v").s(), "item " + sk);
            assertEquals(filler + sk, dynamo.getItem(r -> r.tableName(table).key(key("big", s)))
                    .item().get("v").s(), "eventually consistent read of item " + sk);
        }
        assertFalse(dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key("big", 1000))).hasItem());
        for (int sk = 0; sk < 300; sk += 3) {
            int s = sk;
            dynamo.deleteItem(r -> r.tableName(table).key(key("big", s)));
        }
        for (int sk = 0; sk < 300; sk++) {
            int s = sk;
            assertEquals(sk % 3 != 0, dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                    .key(key("big", s))).hasItem(), "item " + sk + " after deletes");
        }
    }

    @Test
    void queryWalksPagesForwardAndBackwardWithRangesAndPagination() {
        String table = createTable("largeq", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        for (int sk = 299; sk >= 0; sk--) {
            int s = sk;
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("big"),
                    "sk", AttributeValue.fromN(Integer.toString(s)), "v", AttributeValue.fromS("v".repeat(90)))));
        }
        for (boolean forward : new boolean[] {true, false}) {
            for (int pageSize : new int[] {1, 7, 50, 1000}) {
                List<Integer> seen = queryAll(table, null, forward, pageSize);
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    expected.add(forward ? i : 299 - i);
                }
                assertEquals(expected, seen, "forward=" + forward + " pageSize=" + pageSize);
            }
            List<Integer> between = queryAll(table, QueryScanTest.cond(ComparisonOperator.BETWEEN,
                    AttributeValue.fromN("37"), AttributeValue.fromN("211")), forward, 13);
            assertEquals(175, between.size());
            assertEquals(forward ? 37 : 211, between.get(0));
            assertEquals(forward ? 211 : 37, between.get(between.size() - 1));
            List<Integer> below = queryAll(table, QueryScanTest.cond(ComparisonOperator.LT, AttributeValue.fromN("150")),
                    forward, 11);
            assertEquals(150, below.size());
            assertEquals(forward ? 0 : 149, below.get(0));
        }
    }

    private List<Integer> queryAll(String table, Condition range, boolean forward, int pageSize) {
        Map<String, Condition> conditions = new HashMap<>();
        conditions.put("pk", QueryScanTest.eq(AttributeValue.fromS("big")));
        if (range != null) {
            conditions.put("sk", range);
        }
        List<Integer> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        for (int pages = 0; pages < 1000; pages++) {
            Map<String, AttributeValue> from = start;
            boolean consistent = pages % 2 == 0;
            QueryResponse page = dynamo.query(r -> r.tableName(table).keyConditions(conditions).scanIndexForward(forward)
                    .limit(pageSize).exclusiveStartKey(from).consistentRead(consistent));
            for (Map<String, AttributeValue> item : page.items()) {
                seen.add(Integer.parseInt(item.get("sk").n()));
            }
            if (!page.hasLastEvaluatedKey()) {
                return seen;
            }
            start = page.lastEvaluatedKey();
        }
        throw new AssertionError("query did not end");
    }

    @Test
    void concurrentWritersAcrossSplitsLoseNothing() throws Exception {
        String table = createTable("largeconc", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        int threads = 6;
        int perThread = 60;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                try (var c = client(endpoint.toURI())) {
                    for (int i = 0; i < perThread; i++) {
                        int sk = i * threads + thread;
                        c.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("hot"),
                                "sk", AttributeValue.fromN(Integer.toString(sk)), "pad", AttributeValue.fromS("p".repeat(80)))));
                        // A counter in the same collection, updated by everyone between the puts.
                        c.updateItem(r -> r.tableName(table).key(key("hot", -1)).attributeUpdates(Map.of("n",
                                AttributeValueUpdate.builder().action(AttributeAction.ADD).value(AttributeValue.fromN("1")).build())));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertEquals(Integer.toString(threads * perThread), dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key("hot", -1))).item().get("n").n());
        for (int sk = 0; sk < threads * perThread; sk++) {
            int s = sk;
            assertEquals(true, dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key("hot", s))).hasItem(),
                    "item " + sk);
        }
    }
}
