package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Local and global secondary indexes through the AWS SDK: defined at CreateTable or added with
 * UpdateTable, queried and scanned with IndexName, kept in line with the table under concurrent
 * writes (local ones atomically, global ones eventually).
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class SecondaryIndexesTest extends DynamoTestBase {

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(int v) {
        return AttributeValue.fromN(Integer.toString(v));
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }

    private static AttributeDefinition def(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static Projection projection(ProjectionType type, String... nonKey) {
        Projection.Builder p = Projection.builder().projectionType(type);
        if (nonKey.length > 0) {
            p.nonKeyAttributes(nonKey);
        }
        return p.build();
    }

    /** Orders(customer S, order N): LSI byDate (date N, KEYS_ONLY), LSI byStatus (status S, INCLUDE note); GSI byProduct (product S, price N, INCLUDE customer). */
    private String ordersTable() {
        String name = uniqueName("idx");
        dynamo.createTable(CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(hash("customer"), range("order"))
                .attributeDefinitions(def("customer", ScalarAttributeType.S), def("order", ScalarAttributeType.N),
                        def("date", ScalarAttributeType.N), def("status", ScalarAttributeType.S),
                        def("product", ScalarAttributeType.S), def("price", ScalarAttributeType.N))
                .localSecondaryIndexes(
                        LocalSecondaryIndex.builder().indexName("byDate").keySchema(hash("customer"), range("date"))
                                .projection(projection(ProjectionType.KEYS_ONLY)).build(),
                        LocalSecondaryIndex.builder().indexName("byStatus").keySchema(hash("customer"), range("status"))
                                .projection(projection(ProjectionType.INCLUDE, "note")).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byProduct")
                        .keySchema(hash("product"), range("price"))
                        .projection(projection(ProjectionType.INCLUDE, "customer")).build())
                .build());
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        return name;
    }

    private void putOrder(String table, String customer, int order, Integer date, String status, String product,
                          Integer price) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("customer", s(customer));
        item.put("order", n(order));
        item.put("note", s("note " + order));
        item.put("extra", s("not projected"));
        if (date != null) {
            item.put("date", n(date));
        }
        if (status != null) {
            item.put("status", s(status));
        }
        if (product != null) {
            item.put("product", s(product));
        }
        if (price != null) {
            item.put("price", n(price));
        }
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    private static List<Integer> orders(List<Map<String, AttributeValue>> items) {
        List<Integer> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            out.add(Integer.parseInt(item.get("order").n()));
        }
        return out;
    }

    /** Polls a read until it gives the expected answer; global indexes are eventually consistent. */
    /**
     * Waits up to 30 s: an index added later starts its build only once every writer knows it (the
     * near cache's maximum age and a second), and a loaded machine carries changes out slower.
     */
    private static <T> T eventually(T expected, Supplier<T> read) {
        T last = null;
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            last = read.get();
            if (expected.equals(last)) {
                return last;
            }
            sleep(25);
        }
        fail("index did not converge: expected " + expected + " but was " + last);
        return last;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void localIndexOrdersByItsSortKeyIsSparseAndProjects() {
        String table = ordersTable();
        putOrder(table, "ann", 1, 30, "shipped", null, null);
        putOrder(table, "ann", 2, 10, "open", null, null);
        putOrder(table, "ann", 3, null, "open", null, null);
        putOrder(table, "ann", 4, 20, null, null, null);
        putOrder(table, "bob", 5, 15, "open", null, null);

        QueryResponse byDate = dynamo.query(q -> q.tableName(table).indexName("byDate")
                .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s("ann"))));
        assertEquals(List.of(2, 4, 1), orders(byDate.items()), "date order, item without date left out");
        assertEquals(Set.of("customer", "order", "date"), byDate.items().get(0).keySet(), "KEYS_ONLY");

        QueryResponse backward = dynamo.query(q -> q.tableName(table).indexName("byDate").scanIndexForward(false)
                .keyConditionExpression("customer = :c AND #d BETWEEN :a AND :b")
                .expressionAttributeNames(Map.of("#d", "date"))
                .expressionAttributeValues(Map.of(":c", s("ann"), ":a", n(10), ":b", n(20))));
        assertEquals(List.of(4, 2), orders(backward.items()));

        QueryResponse all = dynamo.query(q -> q.tableName(table).indexName("byDate").select(Select.ALL_ATTRIBUTES)
                .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s("ann"))));
        assertEquals(s("not projected"), all.items().get(0).get("extra"), "ALL_ATTRIBUTES reads the table's item");

        QueryResponse included = dynamo.query(q -> q.tableName(table).indexName("byStatus").consistentRead(true)
                .keyConditionExpression("customer = :c AND #s = :s").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":c", s("ann"), ":s", s("open"))));
        assertEquals(List.of(2, 3), orders(included.items()));
        assertEquals(Set.of("customer", "order", "status", "note"), included.items().get(0).keySet(), "INCLUDE note");

        ScanResponse scan = dynamo.scan(r -> r.tableName(table).indexName("byDate"));
        assertEquals(4, scan.count(), "a local index scan sees only items with the index key");
    }

    @jakarta.inject.Inject
    EddyRuntime runtime;

    /**
     * A strongly consistent Query on a local index of a large (paged) partition checks each entry
     * against the table's item, reading the partition's root once and each item's leaf page: about
     * one request per item shown, not two. Under a writer moving the items' index keys and splitting
     * pages meanwhile, it shows only values the items held, in index order, and once the writer is
     * done exactly the table's items.
     */
    @Test
    void aConsistentLocalIndexQueryOnALargePartitionCostsALeafReadPerItem() throws Exception {
        String table = ordersTable();
        String pad = "p".repeat(900);
        int count = 400;
        for (int i = 0; i < count; i++) {
            int order = i;
            dynamo.putItem(r -> r.tableName(table).item(Map.of("customer", s("c"), "order", n(order),
                    "date", n(order * 1000 + (order * 7919) % 997 % 500), "pad", s(pad))));
        }
        QueryRequest query = QueryRequest.builder().tableName(table).indexName("byDate")
                .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s("c")))
                .consistentRead(true).limit(100).build();
        String cache = runtime.eddy().catalog().find(table).cacheName();
        long before = runtime.eddy().storage().serverRequests(cache);
        QueryResponse first = dynamo.query(query);
        long requests = runtime.eddy().storage().serverRequests(cache) - before;
        assertEquals(100, first.count());
        assertTrue(requests < 150, requests + " requests for a page of 100 (two per item before the table's root was kept)");

        ExecutorService writer = Executors.newSingleThreadExecutor();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Future<?> moves = writer.submit(() -> {
            Random random = new Random(7);
            for (int k = 0; !stop.get(); k++) {
                int order = random.nextInt(count + 100); // moves an item's index key, or adds one (splits)
                dynamo.putItem(r -> r.tableName(table).item(Map.of("customer", s("c"), "order", n(order),
                        "date", n(order * 1000 + random.nextInt(500)), "pad", s(pad))));
            }
        });
        try {
            for (int pass = 0; pass < 5; pass++) {
                Map<String, AttributeValue> start = null;
                do {
                    Map<String, AttributeValue> from = start;
                    QueryResponse page = dynamo.query(query.toBuilder().exclusiveStartKey(from).build());
                    int last = Integer.MIN_VALUE;
                    for (Map<String, AttributeValue> item : page.items()) {
                        int date = Integer.parseInt(item.get("date").n());
                        assertEquals(Integer.parseInt(item.get("order").n()), date / 1000, "a date its item held: " + item);
                        assertTrue(date > last, "index order");
                        last = date;
                    }
                    start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                } while (start != null);
            }
        } finally {
            stop.set(true);
            moves.get();
            writer.shutdown();
        }
        Map<Integer, Integer> table1 = new HashMap<>();
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(QueryRequest.builder().tableName(table)
                .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s("c")))
                .consistentRead(true).build()).items()) {
            table1.put(Integer.parseInt(item.get("order").n()), Integer.parseInt(item.get("date").n()));
        }
        Map<Integer, Integer> index1 = new HashMap<>();
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(query.toBuilder().limit(null).build()).items()) {
            assertNull(index1.put(Integer.parseInt(item.get("order").n()), Integer.parseInt(item.get("date").n())),
                    "each item once");
        }
        assertEquals(table1, index1, "the local index shows exactly the table's items");
    }

    @Test
    void localIndexIsAsCurrentAsTheTableAndPagesWithItsKey() {
        String table = ordersTable();
        for (int i = 1; i <= 7; i++) {
            putOrder(table, "cid", i, 100 - i, null, null, null);
        }
        // Kept atomically: a strongly consistent index read right after each write sees it.
        putOrder(table, "cid", 8, 1, null, null, null);
        QueryResponse first = dynamo.query(q -> q.tableName(table).indexName("byDate").consistentRead(true).limit(3)
                .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s("cid"))));
        assertEquals(List.of(8, 7, 6), orders(first.items()));
        assertEquals(Map.of("customer", s("cid"), "order", n(6), "date", n(94)), first.lastEvaluatedKey());
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of("customer", s("cid"), "order", n(7))));
        List<Integer> rest = new ArrayList<>();
        Map<String, AttributeValue> start = first.lastEvaluatedKey();
        while (start != null && !start.isEmpty()) {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(q -> q.tableName(table).indexName("byDate").consistentRead(true).limit(3)
                    .exclusiveStartKey(from).keyConditionExpression("customer = :c")
                    .expressionAttributeValues(Map.of(":c", s("cid"))));
            rest.addAll(orders(page.items()));
            start = page.lastEvaluatedKey();
        }
        assertEquals(List.of(5, 4, 3, 2, 1), rest);
    }

    @Test
    void globalIndexQueriesScansAndFollowsChanges() {
        String table = ordersTable();
        putOrder(table, "ann", 1, null, null, "pen", 3);
        putOrder(table, "bob", 2, null, null, "pen", 1);
        putOrder(table, "cat", 3, null, null, "pen", 2);
        putOrder(table, "ann", 4, null, null, "ink", 9);
        putOrder(table, "ann", 5, null, null, null, null);
        Supplier<List<Integer>> pens = () -> orders(dynamo.query(q -> q.tableName(table).indexName("byProduct")
                .keyConditionExpression("product = :p").expressionAttributeValues(Map.of(":p", s("pen")))).items());
        eventually(List.of(2, 3, 1), pens);

        QueryResponse cheap = dynamo.query(q -> q.tableName(table).indexName("byProduct").scanIndexForward(false)
                .keyConditionExpression("product = :p AND price < :max")
                .expressionAttributeValues(Map.of(":p", s("pen"), ":max", n(3))));
        assertEquals(List.of(3, 2), orders(cheap.items()));
        assertEquals(Set.of("customer", "order", "product", "price"), cheap.items().get(0).keySet(),
                "INCLUDE customer: the table's keys, the index's keys and customer");

        QueryResponse paged = dynamo.query(q -> q.tableName(table).indexName("byProduct").limit(2)
                .keyConditionExpression("product = :p").expressionAttributeValues(Map.of(":p", s("pen"))));
        assertEquals(Map.of("product", s("pen"), "price", n(2), "customer", s("cat"), "order", n(3)),
                paged.lastEvaluatedKey());
        QueryResponse next = dynamo.query(q -> q.tableName(table).indexName("byProduct").limit(2)
                .exclusiveStartKey(paged.lastEvaluatedKey())
                .keyConditionExpression("product = :p").expressionAttributeValues(Map.of(":p", s("pen"))));
        assertEquals(List.of(1), orders(next.items()));

        // Moved to another product, repriced, removed from the index, deleted: the index follows.
        dynamo.updateItem(r -> r.tableName(table).key(Map.of("customer", s("ann"), "order", n(1)))
                .updateExpression("SET product = :p").expressionAttributeValues(Map.of(":p", s("ink"))));
        dynamo.updateItem(r -> r.tableName(table).key(Map.of("customer", s("bob"), "order", n(2)))
                .updateExpression("SET price = :v").expressionAttributeValues(Map.of(":v", n(7))));
        dynamo.updateItem(r -> r.tableName(table).key(Map.of("customer", s("cat"), "order", n(3)))
                .updateExpression("REMOVE price"));
        eventually(List.of(2), pens);
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of("customer", s("bob"), "order", n(2))));
        eventually(List.of(), pens);
        Supplier<List<Integer>> inks = () -> orders(dynamo.query(q -> q.tableName(table).indexName("byProduct")
                .keyConditionExpression("product = :p").expressionAttributeValues(Map.of(":p", s("ink")))).items());
        eventually(List.of(1, 4), inks);

        Set<Integer> scanned = new HashSet<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(r -> r.tableName(table).indexName("byProduct").limit(1).exclusiveStartKey(from));
            for (int o : orders(page.items())) {
                assertTrue(scanned.add(o), "scanned twice: " + o);
            }
            start = page.lastEvaluatedKey();
        } while (start != null && !start.isEmpty());
        assertEquals(Set.of(1, 4), scanned);
    }

    /** Once a Query shows an item under its new index key, no Query shows it under the key it left. */
    @Test
    void anIndexThatShowsAnItemsNewKeyNeverShowsTheKeyItLeft() {
        String table = ordersTable();
        putOrder(table, "ann", 1, null, null, "p0", 1);
        Function<String, List<Integer>> under = product -> orders(dynamo.query(q -> q.tableName(table).indexName("byProduct")
                .keyConditionExpression("product = :p").expressionAttributeValues(Map.of(":p", s(product)))).items());
        eventually(List.of(1), () -> under.apply("p0"));
        for (int move = 1; move <= 40; move++) {
            String from = "p" + (move - 1);
            String to = "p" + move;
            dynamo.updateItem(r -> r.tableName(table).key(Map.of("customer", s("ann"), "order", n(1)))
                    .updateExpression("SET product = :p").expressionAttributeValues(Map.of(":p", s(to))));
            eventually(List.of(1), () -> under.apply(to));
            assertEquals(List.of(), under.apply(from), "move " + move + ": shown under " + to + ", so not under " + from);
        }
    }

    /** ReturnConsumedCapacity INDEXES: each index a write touches, by the units its entry costs. */
    @Test
    void writesCountTheirIndexWriteUnits() {
        String table = ordersTable();
        var put = dynamo.putItem(r -> r.tableName(table).returnConsumedCapacity("INDEXES").item(Map.of(
                "customer", s("ann"), "order", n(1), "date", n(20240101), "product", s("pen"), "price", n(3),
                "note", s("hello"))));
        var c = put.consumedCapacity();
        assertEquals(1.0, c.table().capacityUnits());
        assertEquals(1.0, c.globalSecondaryIndexes().get("byProduct").capacityUnits(), "enters byProduct");
        assertEquals(1.0, c.localSecondaryIndexes().get("byDate").capacityUnits(), "enters byDate");
        assertFalse(c.localSecondaryIndexes().containsKey("byStatus"), "no status: not in byStatus");
        assertEquals(3.0, c.capacityUnits(), "the total counts the indexes");

        var moved = dynamo.updateItem(r -> r.tableName(table).returnConsumedCapacity("INDEXES")
                .key(Map.of("customer", s("ann"), "order", n(1)))
                .updateExpression("SET product = :p").expressionAttributeValues(Map.of(":p", s("ink"))));
        assertEquals(2.0, moved.consumedCapacity().globalSecondaryIndexes().get("byProduct").capacityUnits(),
                "a key change is a delete and a put in the index");
        assertFalse(moved.consumedCapacity().hasLocalSecondaryIndexes()
                && moved.consumedCapacity().localSecondaryIndexes().containsKey("byDate"), "byDate did not change");

        var unprojected = dynamo.updateItem(r -> r.tableName(table).returnConsumedCapacity("TOTAL")
                .key(Map.of("customer", s("ann"), "order", n(1)))
                .updateExpression("SET extra = :x").expressionAttributeValues(Map.of(":x", s("y"))));
        assertEquals(1.0, unprojected.consumedCapacity().capacityUnits(), "no index projects extra: the table's unit only");

        var gone = dynamo.deleteItem(r -> r.tableName(table).returnConsumedCapacity("INDEXES")
                .key(Map.of("customer", s("ann"), "order", n(1))));
        assertEquals(1.0, gone.consumedCapacity().globalSecondaryIndexes().get("byProduct").capacityUnits());
        assertEquals(1.0, gone.consumedCapacity().localSecondaryIndexes().get("byDate").capacityUnits());
    }

    /** DescribeTable reports each index's ItemCount and IndexSizeBytes, recounted like the table's. */
    @Test
    void indexFiguresAreCounted() {
        String table = ordersTable();
        putOrder(table, "ann", 1, 5, null, "pen", 1);
        putOrder(table, "bob", 2, null, "open", "pen", 2);
        putOrder(table, "cat", 3, 7, "done", null, null);
        eventually(List.of(3L, 2L, 2L, 2L), () -> {
            var d = dynamo.describeTable(r -> r.tableName(table)).table();
            return List.of(d.itemCount(), d.globalSecondaryIndexes().get(0).itemCount(),
                    d.localSecondaryIndexes().get(0).itemCount(), d.localSecondaryIndexes().get(1).itemCount());
        });
        var d = dynamo.describeTable(r -> r.tableName(table)).table();
        assertTrue(d.globalSecondaryIndexes().get(0).indexSizeBytes() > 0);
        assertTrue(d.globalSecondaryIndexes().get(0).indexSizeBytes() < d.tableSizeBytes(), "a projection is smaller");
    }

    @Test
    void indexRulesAndErrors() {
        String table = ordersTable();
        assertDynamoError("ValidationException", "Consistent reads are not supported on global secondary indexes",
                () -> dynamo.query(q -> q.tableName(table).indexName("byProduct").consistentRead(true)
                        .keyConditionExpression("product = :p").expressionAttributeValues(Map.of(":p", s("pen")))));
        assertDynamoError("ValidationException", "One or more parameter values were invalid: Select type ALL_ATTRIBUTES "
                        + "is not supported for global secondary index byProduct because its projection type is not ALL",
                () -> dynamo.query(q -> q.tableName(table).indexName("byProduct").select(Select.ALL_ATTRIBUTES)
                        .keyConditionExpression("product = :p").expressionAttributeValues(Map.of(":p", s("pen")))));
        assertDynamoError("ValidationException", "The table does not have the specified index: nope",
                () -> dynamo.query(q -> q.tableName(table).indexName("nope")
                        .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s("a")))));
        assertDynamoError("ValidationException", "Query condition missed key schema element: product",
                () -> dynamo.query(q -> q.tableName(table).indexName("byProduct")
                        .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s("a")))));
        assertDynamoError("ValidationException", "One or more parameter values were invalid: Type mismatch for Index Key "
                        + "price Expected: N Actual: S IndexName: byProduct",
                () -> dynamo.putItem(r -> r.tableName(table).item(Map.of("customer", s("a"), "order", n(1),
                        "price", s("cheap")))));
        assertDynamoError("ValidationException", "One or more parameter values are not valid. A value specified for a "
                        + "secondary index key is not supported. The AttributeValue for a key attribute cannot contain "
                        + "an empty string value. IndexName: byStatus, IndexKey: status",
                () -> dynamo.updateItem(r -> r.tableName(table).key(Map.of("customer", s("a"), "order", n(1)))
                        .updateExpression("SET #s = :e").expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":e", s("")))));
        assertNull(dynamo.getItem(r -> r.tableName(table).key(Map.of("customer", s("a"), "order", n(1)))).item().isEmpty()
                ? null : "written", "a refused item is not written");
        assertDynamoError("ValidationException", "The provided starting key is invalid: The provided key element does "
                        + "not match the schema",
                () -> dynamo.query(q -> q.tableName(table).indexName("byProduct")
                        .exclusiveStartKey(Map.of("customer", s("a"), "order", n(1)))
                        .keyConditionExpression("product = :p").expressionAttributeValues(Map.of(":p", s("pen")))));
    }

    @Test
    void globalIndexAddedLaterIsBackfilledThenActiveAndCanBeDeleted() {
        String table = createTable("gsiadd", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        for (int i = 0; i < 60; i++) {
            int order = i;
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("p" + (order % 6)), "sk", n(order),
                    "color", s(order % 2 == 0 ? "red" : "blue"))));
        }
        var response = dynamo.updateTable(r -> r.tableName(table)
                .attributeDefinitions(def("color", ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byColor").keySchema(hash("color"))
                        .projection(projection(ProjectionType.ALL)))));
        assertEquals(TableStatus.UPDATING, response.tableDescription().tableStatus());
        GlobalSecondaryIndexDescription adding = response.tableDescription().globalSecondaryIndexes().get(0);
        assertEquals(IndexStatus.CREATING, adding.indexStatus());
        assertTrue(adding.backfilling());
        assertDynamoError("ResourceInUseException", null, () -> dynamo.updateTable(r -> r.tableName(table)
                .globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("byColor")))));

        eventually(IndexStatus.ACTIVE, () -> dynamo.describeTable(r -> r.tableName(table)).table()
                .globalSecondaryIndexes().get(0).indexStatus());
        assertEquals(TableStatus.ACTIVE, dynamo.describeTable(r -> r.tableName(table)).table().tableStatus());
        QueryResponse red = dynamo.query(q -> q.tableName(table).indexName("byColor")
                .keyConditionExpression("color = :c").expressionAttributeValues(Map.of(":c", s("red"))));
        assertEquals(30, red.count(), "every existing red item backfilled");
        assertEquals(s("red"), red.items().get(0).get("color"));

        dynamo.updateTable(r -> r.tableName(table)
                .globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("byColor"))));
        eventually(true, () -> dynamo.describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes().isEmpty());
        assertDynamoError("ValidationException", "The table does not have the specified index: byColor",
                () -> dynamo.query(q -> q.tableName(table).indexName("byColor")
                        .keyConditionExpression("color = :c").expressionAttributeValues(Map.of(":c", s("red")))));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: Index: byColor not found",
                () -> dynamo.updateTable(r -> r.tableName(table)
                        .globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("byColor")))));
    }

    /**
     * Writers race on a few items, moving them between index partitions; once they stop, the index
     * holds exactly the table's items where the table says they are: nothing lost, nothing stale.
     */
    @Test
    void globalIndexConvergesUnderConcurrentWriters() throws Exception {
        String table = ordersTable();
        int threads = 8;
        int writesPerThread = 60;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            done.add(pool.submit(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < writesPerThread; i++) {
                    int order = random.nextInt(12);
                    int choice = random.nextInt(10);
                    Map<String, AttributeValue> key = Map.of("customer", s("c" + (order % 3)), "order", n(order));
                    if (choice == 0) {
                        dynamo.deleteItem(r -> r.tableName(table).key(key));
                    } else if (choice == 1) {
                        dynamo.updateItem(r -> r.tableName(table).key(key).updateExpression("REMOVE product"));
                    } else {
                        String product = "p" + random.nextInt(4);
                        int price = random.nextInt(5);
                        dynamo.updateItem(r -> r.tableName(table).key(key)
                                .updateExpression("SET product = :p, price = :v, customer_note = :n")
                                .expressionAttributeValues(Map.of(":p", s(product), ":v", n(price), ":n", s("w" + seed))));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        Map<String, List<String>> expected = new HashMap<>();
        for (Map<String, AttributeValue> item : dynamo.scan(r -> r.tableName(table).consistentRead(true)).items()) {
            if (item.containsKey("product") && item.containsKey("price")) {
                expected.computeIfAbsent(item.get("product").s(), k -> new ArrayList<>())
                        .add(item.get("order").n() + "@" + item.get("price").n());
            }
        }
        expected.values().forEach(l -> l.sort(null));
        eventually(expected, () -> {
            Map<String, List<String>> actual = new HashMap<>();
            for (Map<String, AttributeValue> entry : dynamo.scan(r -> r.tableName(table).indexName("byProduct")).items()) {
                actual.computeIfAbsent(entry.get("product").s(), k -> new ArrayList<>())
                        .add(entry.get("order").n() + "@" + entry.get("price").n());
            }
            actual.values().forEach(l -> l.sort(null));
            return actual;
        });
        assertFalse(expected.isEmpty());
    }
}
