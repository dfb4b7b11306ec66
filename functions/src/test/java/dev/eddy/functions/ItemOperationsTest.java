package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PutItem, GetItem, UpdateItem and DeleteItem in their plain forms, through the AWS SDK. */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class ItemOperationsTest extends DynamoTestBase {

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    @Test
    void everyAttributeTypeRoundTrips() {
        String table = createTable("types", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
        Map<String, AttributeValue> item = new java.util.HashMap<>(key("p", "s"));
        item.put("s", AttributeValue.fromS("text with ünïcødé and 🎵"));
        item.put("empty", AttributeValue.fromS(""));
        item.put("n", AttributeValue.fromN("-12.5"));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 0xFF})));
        item.put("t", AttributeValue.fromBool(true));
        item.put("f", AttributeValue.fromBool(false));
        item.put("nul", AttributeValue.fromNul(true));
        item.put("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromL(List.of(
                AttributeValue.fromN("1"), AttributeValue.fromM(Map.of("deep", AttributeValue.fromS("x"))))))));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromNul(true))));
        item.put("emptyList", AttributeValue.fromL(List.of()));
        item.put("emptyMap", AttributeValue.fromM(Map.of()));
        item.put("ss", AttributeValue.fromSs(List.of("x", "y", "")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2.5", "-3")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("a"), SdkBytes.fromUtf8String("b"))));
        dynamo.putItem(r -> r.tableName(table).item(item));

        Map<String, AttributeValue> back = dynamo.getItem(r -> r.tableName(table).key(key("p", "s")).consistentRead(true)).item();
        assertEquals(item.keySet(), back.keySet());
        for (String name : List.of("s", "empty", "n", "b", "t", "f", "nul", "m", "l", "emptyList", "emptyMap")) {
            assertEquals(item.get(name), back.get(name), name);
        }
        assertEquals(new HashSet<>(item.get("ss").ss()), new HashSet<>(back.get("ss").ss()));
        assertEquals(new HashSet<>(item.get("ns").ns()), new HashSet<>(back.get("ns").ns()));
        assertEquals(new HashSet<>(item.get("bs").bs()), new HashSet<>(back.get("bs").bs()));
    }

    @Test
    void numberAndBinaryKeysAddressTheirItems() {
        String table = createTable("numkeys", "id", ScalarAttributeType.N, "bin", ScalarAttributeType.B);
        dynamo.putItem(r -> r.tableName(table).item(Map.of("id", AttributeValue.fromN("10.0"),
                "bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2})), "v", AttributeValue.fromS("a"))));
        // The same number written differently is the same key.
        GetItemResponse got = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(
                "id", AttributeValue.fromN("1E1"), "bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2})))));
        assertEquals("a", got.item().get("v").s());
        assertEquals("10", got.item().get("id").n());
    }

    @Test
    void putReplacesWholeItemAndReturnsOldValues() {
        String table = createTable("put", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
        Map<String, AttributeValue> first = new java.util.HashMap<>(key("a", "1"));
        first.put("x", AttributeValue.fromS("old"));
        first.put("y", AttributeValue.fromN("1"));
        PutItemResponse none = dynamo.putItem(r -> r.tableName(table).item(first).returnValues(ReturnValue.ALL_OLD));
        assertFalse(none.hasAttributes(), "nothing was there before");

        Map<String, AttributeValue> second = new java.util.HashMap<>(key("a", "1"));
        second.put("x", AttributeValue.fromS("new"));
        PutItemResponse replaced = dynamo.putItem(r -> r.tableName(table).item(second).returnValues(ReturnValue.ALL_OLD));
        assertEquals(first, replaced.attributes());
        assertEquals(second, dynamo.getItem(r -> r.tableName(table).key(key("a", "1")).consistentRead(true)).item());
    }

    @Test
    void getItemOfMissingItemIsEmptyAndAttributesToGetProjects() {
        String table = createTable("get", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
        assertFalse(dynamo.getItem(r -> r.tableName(table).key(key("none", "x"))).hasItem());
        Map<String, AttributeValue> item = new java.util.HashMap<>(key("a", "1"));
        item.put("x", AttributeValue.fromS("1"));
        item.put("y", AttributeValue.fromS("2"));
        dynamo.putItem(r -> r.tableName(table).item(item));
        Map<String, AttributeValue> projected = dynamo.getItem(r -> r.tableName(table).key(key("a", "1"))
                .consistentRead(true).attributesToGet("y", "missing")).item();
        assertEquals(Map.of("y", AttributeValue.fromS("2")), projected);
    }

    @Test
    void eventuallyConsistentReadsSeeWritesOnceTheNearCacheIsInvalidated() throws Exception {
        String table = createTable("eventual", "pk", ScalarAttributeType.S, null, null);
        Map<String, AttributeValue> k = Map.of("pk", AttributeValue.fromS("k"));
        for (int version = 0; version < 20; version++) {
            String v = Integer.toString(version);
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k"), "v", AttributeValue.fromN(v))));
            // Warm the near cache, then read until the invalidation of the next write lands.
            assertEquals(v, dynamo.getItem(r -> r.tableName(table).key(k).consistentRead(true)).item().get("v").n());
            String seen = null;
            for (int attempt = 0; attempt < 200 && !v.equals(seen); attempt++) {
                seen = dynamo.getItem(r -> r.tableName(table).key(k)).item().get("v").n();
                if (!v.equals(seen)) {
                    Thread.sleep(5);
                }
            }
            assertEquals(v, seen, "an eventually consistent read converges on the latest write");
        }
    }

    @jakarta.inject.Inject
    EddyRuntime runtime;

    @Test
    void eventuallyConsistentReadsAreServedByTheNearCacheAndNoReadWaitsOnAWorker() {
        String table = createTable("near", "pk", ScalarAttributeType.S, null, null);
        Map<String, AttributeValue> k = Map.of("pk", AttributeValue.fromS("k"));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k"), "v", AttributeValue.fromS("1"))));
        var stats = runtime.eddy().storage().eventual(runtime.eddy().catalog().find(table).cacheName()).clientStatistics();
        dynamo.getItem(r -> r.tableName(table).key(k)); // fills the near cache
        long hits = stats.getNearCacheHits();
        long onEventLoop = WireFront.answeredWithoutWorker();
        for (int i = 0; i < 10; i++) {
            assertEquals("1", dynamo.getItem(r -> r.tableName(table).key(k)).item().get("v").s());
        }
        assertTrue(stats.getNearCacheHits() >= hits + 10, "eventually consistent reads hit the near cache");
        assertTrue(WireFront.answeredWithoutWorker() >= onEventLoop + 10,
                "near-cache hits are answered on the event loop, without a worker hand-off");
        long afterEventual = stats.getNearCacheHits();
        long eventLoopBefore = WireFront.answeredWithoutWorker();
        for (int i = 0; i < 10; i++) {
            assertEquals("1", dynamo.getItem(r -> r.tableName(table).key(k).consistentRead(true)).item().get("v").s());
        }
        assertEquals(afterEventual, stats.getNearCacheHits(), "consistent reads never touch the near cache");
        assertEquals(eventLoopBefore + 10, WireFront.answeredWithoutWorker(),
                "consistent reads go to the owners through Hot Rod's async API, without a worker either");
        // A write through the same item: the next eventually consistent reads converge on it whichever path answers.
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k"), "v", AttributeValue.fromS("2"))));
        String seen = null;
        for (int attempt = 0; attempt < 200 && !"2".equals(seen); attempt++) {
            seen = dynamo.getItem(r -> r.tableName(table).key(k)).item().get("v").s();
        }
        assertEquals("2", seen);
        // An item this instance never read is a near-cache miss: the read it starts fills the near
        // cache, and the request is answered when it lands, without a worker.
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("fresh"), "v", AttributeValue.fromS("3"))));
        long beforeMiss = WireFront.answeredWithoutWorker();
        long missesBefore = stats.getNearCacheMisses();
        assertEquals("3", dynamo.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("fresh")))).item().get("v").s());
        assertTrue(stats.getNearCacheMisses() > missesBefore, "the first read of an item misses the near cache");
        assertEquals(beforeMiss + 1, WireFront.answeredWithoutWorker(), "a miss is answered when Hot Rod answers, without a worker");
    }

    @Test
    void deleteItemRemovesAndReturnsOldItem() {
        String table = createTable("delete", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
        Map<String, AttributeValue> item = new java.util.HashMap<>(key("a", "1"));
        item.put("x", AttributeValue.fromS("v"));
        dynamo.putItem(r -> r.tableName(table).item(item));
        dynamo.putItem(r -> r.tableName(table).item(key("a", "2")));
        assertEquals(item, dynamo.deleteItem(r -> r.tableName(table).key(key("a", "1"))
                .returnValues(ReturnValue.ALL_OLD)).attributes());
        assertFalse(dynamo.getItem(r -> r.tableName(table).key(key("a", "1")).consistentRead(true)).hasItem());
        assertTrue(dynamo.getItem(r -> r.tableName(table).key(key("a", "2")).consistentRead(true)).hasItem(),
                "the other item of the collection stays");
        assertFalse(dynamo.deleteItem(r -> r.tableName(table).key(key("a", "1"))
                .returnValues(ReturnValue.ALL_OLD)).hasAttributes(), "deleting a missing item succeeds, returns nothing");
    }

    @Test
    void attributeUpdatesPutAddAndDelete() {
        String table = createTable("update", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
        UpdateItemResponse created = dynamo.updateItem(r -> r.tableName(table).key(key("a", "1"))
                .attributeUpdates(Map.of(
                        "name", AttributeValueUpdate.builder().action(AttributeAction.PUT).value(AttributeValue.fromS("n")).build(),
                        "count", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(AttributeValue.fromN("5")).build(),
                        "tags", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(AttributeValue.fromSs(List.of("a", "b"))).build()))
                .returnValues(ReturnValue.ALL_NEW));
        assertEquals("5", created.attributes().get("count").n());
        assertEquals("a", created.attributes().get("pk").s(), "an update of a missing item creates it with its key");

        UpdateItemResponse updated = dynamo.updateItem(r -> r.tableName(table).key(key("a", "1"))
                .attributeUpdates(Map.of(
                        "count", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(AttributeValue.fromN("-1.5")).build(),
                        "tags", AttributeValueUpdate.builder().action(AttributeAction.DELETE).value(AttributeValue.fromSs(List.of("a"))).build(),
                        "name", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build()))
                .returnValues(ReturnValue.UPDATED_OLD));
        assertEquals(Set.of("count", "tags", "name"), updated.attributes().keySet());
        assertEquals("5", updated.attributes().get("count").n());

        Map<String, AttributeValue> now = dynamo.getItem(r -> r.tableName(table).key(key("a", "1")).consistentRead(true)).item();
        assertEquals("3.5", now.get("count").n());
        assertEquals(List.of("b"), now.get("tags").ss());
        assertFalse(now.containsKey("name"));

        UpdateItemResponse updatedNew = dynamo.updateItem(r -> r.tableName(table).key(key("a", "1"))
                .attributeUpdates(Map.of("tags", AttributeValueUpdate.builder().action(AttributeAction.DELETE)
                        .value(AttributeValue.fromSs(List.of("b"))).build()))
                .returnValues(ReturnValue.UPDATED_NEW));
        assertFalse(updatedNew.hasAttributes(), "a set emptied by DELETE is removed");
    }

    @Test
    void consumedCapacityFollowsDynamoDbArithmetic() {
        String table = createTable("capacity", "pk", ScalarAttributeType.S, null, null);
        String big = "x".repeat(2500);
        double wcu = dynamo.putItem(r -> r.tableName(table).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .item(Map.of("pk", AttributeValue.fromS("a"), "v", AttributeValue.fromS(big)))).consumedCapacity().capacityUnits();
        assertEquals(3.0, wcu, "2.5 KB item: three write units");
        double strong = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).key(Map.of("pk", AttributeValue.fromS("a"))))
                .consumedCapacity().capacityUnits();
        double eventual = dynamo.getItem(r -> r.tableName(table).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .key(Map.of("pk", AttributeValue.fromS("a")))).consumedCapacity().capacityUnits();
        assertEquals(1.0, strong);
        assertEquals(0.5, eventual);
    }
}
