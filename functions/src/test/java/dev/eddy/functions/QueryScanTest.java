package dev.eddy.functions;

import dev.eddy.core.StorageConfig;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Query and Scan through the AWS SDK: order, ranges, pagination, limits, parallel scan. */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class QueryScanTest extends DynamoTestBase {

    static Condition eq(AttributeValue v) {
        return Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(v).build();
    }

    static Condition cond(ComparisonOperator op, AttributeValue... values) {
        return Condition.builder().comparisonOperator(op).attributeValueList(values).build();
    }

    private List<String> sortKeys(List<Map<String, AttributeValue>> items, Function<AttributeValue, String> f) {
        List<String> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            out.add(f.apply(item.get("sk")));
        }
        return out;
    }

    private String numbersTable() {
        String table = createTable("qnum", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        for (String n : List.of("-10", "-1.5", "0", "0.25", "1", "2", "10", "100", "1e3")) {
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromN(n),
                    "other", AttributeValue.fromS("x"), "n", AttributeValue.fromN(n))));
        }
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("q"), "sk", AttributeValue.fromN("5"))));
        return table;
    }

    private List<String> query(String table, Condition range, boolean forward) {
        Map<String, Condition> conditions = new HashMap<>();
        conditions.put("pk", eq(AttributeValue.fromS("p")));
        if (range != null) {
            conditions.put("sk", range);
        }
        return sortKeys(dynamo.query(r -> r.tableName(table).keyConditions(conditions).scanIndexForward(forward)
                .consistentRead(true)).items(), AttributeValue::n);
    }

    @Test
    void numbersSortNumericallyAndEveryRangeOperatorSelects() {
        String table = numbersTable();
        assertEquals(List.of("-10", "-1.5", "0", "0.25", "1", "2", "10", "100", "1000"), query(table, null, true));
        assertEquals(List.of("1000", "100", "10", "2", "1", "0.25", "0", "-1.5", "-10"), query(table, null, false));
        assertEquals(List.of("2"), query(table, cond(ComparisonOperator.EQ, AttributeValue.fromN("2.0")), true));
        assertEquals(List.of("-10", "-1.5", "0"), query(table, cond(ComparisonOperator.LT, AttributeValue.fromN("0.25")), true));
        assertEquals(List.of("0.25", "0", "-1.5", "-10"), query(table, cond(ComparisonOperator.LE, AttributeValue.fromN("0.25")), false));
        assertEquals(List.of("10", "100", "1000"), query(table, cond(ComparisonOperator.GT, AttributeValue.fromN("2")), true));
        assertEquals(List.of("1000", "100", "10", "2"), query(table, cond(ComparisonOperator.GE, AttributeValue.fromN("2")), false));
        assertEquals(List.of("0", "0.25", "1", "2"), query(table,
                cond(ComparisonOperator.BETWEEN, AttributeValue.fromN("0"), AttributeValue.fromN("2")), true));
        assertEquals(List.of("2", "1", "0.25", "0"), query(table,
                cond(ComparisonOperator.BETWEEN, AttributeValue.fromN("0"), AttributeValue.fromN("2")), false));
    }

    @Test
    void stringsSortByUtf8BytesAndBeginsWithSelectsAPrefix() {
        String table = createTable("qstr", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
        // UTF-8 order puts U+1D11E (4 bytes) after U+FFFD (3 bytes); UTF-16 order would not.
        List<String> expected = List.of("B", "a", "ab", "abc", "abd", "b", "é", "\uFFFD", "\uD834\uDD1E");
        for (String s : List.of("abd", "\uD834\uDD1E", "b", "ab", "é", "a", "\uFFFD", "abc", "B")) {
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromS(s))));
        }
        Map<String, Condition> all = Map.of("pk", eq(AttributeValue.fromS("p")));
        assertEquals(expected, sortKeys(dynamo.query(r -> r.tableName(table).keyConditions(all)).items(), AttributeValue::s));
        Map<String, Condition> prefix = Map.of("pk", eq(AttributeValue.fromS("p")),
                "sk", cond(ComparisonOperator.BEGINS_WITH, AttributeValue.fromS("ab")));
        assertEquals(List.of("ab", "abc", "abd"), sortKeys(dynamo.query(r -> r.tableName(table).keyConditions(prefix)).items(),
                AttributeValue::s));
        assertEquals(List.of("abd", "abc", "ab"), sortKeys(dynamo.query(r -> r.tableName(table).keyConditions(prefix)
                .scanIndexForward(false)).items(), AttributeValue::s));
    }

    @Test
    void binarySortsAsUnsignedBytes() {
        String table = createTable("qbin", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.B);
        for (int b : new int[] {0x80, 0x01, 0xFF, 0x00, 0x7F}) {
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("p"),
                    "sk", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {(byte) b})))));
        }
        List<String> order = sortKeys(dynamo.query(r -> r.tableName(table)
                .keyConditions(Map.of("pk", eq(AttributeValue.fromS("p"))))).items(),
                v -> Integer.toHexString(v.b().asByteArray()[0] & 0xFF));
        assertEquals(List.of("0", "1", "7f", "80", "ff"), order);
    }

    @Test
    void paginationByLimitReturnsLastEvaluatedKeyEvenOnAnExactEnd() {
        String table = numbersTable();
        List<String> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).keyConditions(Map.of("pk", eq(AttributeValue.fromS("p"))))
                    .limit(3).exclusiveStartKey(from));
            assertTrue(page.count() <= 3);
            assertEquals(page.count(), page.scannedCount());
            seen.addAll(sortKeys(page.items(), AttributeValue::n));
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
            pages++;
        } while (start != null && pages < 20);
        // 9 items in pages of 3: the third page ends exactly at Limit and still names its last key;
        // the fourth is empty and ends the walk.
        assertEquals(4, pages);
        assertEquals(List.of("-10", "-1.5", "0", "0.25", "1", "2", "10", "100", "1000"), seen);
    }

    @Test
    void selectCountAndAttributesToGet() {
        String table = numbersTable();
        QueryResponse count = dynamo.query(r -> r.tableName(table).keyConditions(Map.of("pk", eq(AttributeValue.fromS("p"))))
                .select(Select.COUNT));
        assertEquals(9, count.count());
        assertFalse(count.hasItems() && !count.items().isEmpty());
        QueryResponse projected = dynamo.query(r -> r.tableName(table).keyConditions(Map.of("pk", eq(AttributeValue.fromS("p"))))
                .attributesToGet("sk").limit(1));
        assertEquals(Map.of("sk", AttributeValue.fromN("-10")), projected.items().get(0));
        assertDynamoError("ValidationException", "Query condition missed key schema element: pk",
                () -> dynamo.query(r -> r.tableName(table).keyConditions(Map.of("sk", eq(AttributeValue.fromN("1"))))));
        assertDynamoError("ValidationException",
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
                () -> dynamo.query(QueryRequest.builder().tableName(table).build()));
        assertDynamoError("ValidationException", "The table does not have the specified index: nope",
                () -> dynamo.query(r -> r.tableName(table).indexName("nope").keyConditions(Map.of("pk", eq(AttributeValue.fromS("p"))))));
    }

    @Test
    void aPageStopsAfterOneMegabyteRead() {
        String table = createTable("qbig", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        String big = "x".repeat(390 * 1024);
        for (int i = 0; i < 4; i++) {
            String n = Integer.toString(i);
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromN(n),
                    "v", AttributeValue.fromS(big))));
        }
        QueryResponse first = dynamo.query(r -> r.tableName(table).keyConditions(Map.of("pk", eq(AttributeValue.fromS("p"))))
                .select(Select.COUNT));
        assertEquals(3, first.scannedCount(), "three 390 KB items pass 1 MB");
        assertEquals("2", first.lastEvaluatedKey().get("sk").n());
        ScanResponse scan = dynamo.scan(r -> r.tableName(table).select(Select.COUNT));
        assertEquals(3, scan.scannedCount());
        assertTrue(scan.hasLastEvaluatedKey());
    }

    @Test
    void keyConditionFilterAndProjectionExpressions() {
        String table = numbersTable();
        QueryResponse between = dynamo.query(r -> r.tableName(table)
                .keyConditionExpression("#p = :p AND #s BETWEEN :lo AND :hi")
                .expressionAttributeNames(Map.of("#p", "pk", "#s", "sk"))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("p"), ":lo", AttributeValue.fromN("0"),
                        ":hi", AttributeValue.fromN("10"))));
        assertEquals(List.of("0", "0.25", "1", "2", "10"), sortKeys(between.items(), AttributeValue::n));

        // The filter runs after the read: ScannedCount counts what was read, Count what passed. (A Query's
        // filter may not name the key it goes by, so it names n, a copy of sk.)
        QueryResponse filtered = dynamo.query(r -> r.tableName(table).keyConditionExpression("pk = :p AND sk > :z")
                .filterExpression("n < :ten").projectionExpression("sk")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("p"), ":z", AttributeValue.fromN("0"),
                        ":ten", AttributeValue.fromN("10"))));
        assertEquals(3, filtered.count());
        assertEquals(6, filtered.scannedCount());
        assertEquals(Map.of("sk", AttributeValue.fromN("0.25")), filtered.items().get(0));

        // A page whose items all fail the filter is empty and still says where to go on.
        QueryResponse empty = dynamo.query(r -> r.tableName(table).keyConditionExpression("pk = :p")
                .filterExpression("attribute_not_exists(#o)").limit(2).expressionAttributeNames(Map.of("#o", "other"))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("p"))));
        assertEquals(0, empty.count());
        assertEquals(2, empty.scannedCount());
        assertEquals("-1.5", empty.lastEvaluatedKey().get("sk").n());

        QueryResponse legacy = dynamo.query(r -> r.tableName(table)
                .keyConditions(Map.of("pk", eq(AttributeValue.fromS("p"))))
                .queryFilter(Map.of("n", cond(ComparisonOperator.GE, AttributeValue.fromN("100")))));
        assertEquals(List.of("100", "1000"), sortKeys(legacy.items(), AttributeValue::n));

        // KeyConditions conflicts with KeyConditionExpression only: DynamoDB takes it with a FilterExpression.
        QueryResponse mixed = dynamo.query(r -> r.tableName(table)
                .keyConditions(Map.of("pk", eq(AttributeValue.fromS("p")))).filterExpression("n > :z")
                .projectionExpression("sk").expressionAttributeValues(Map.of(":z", AttributeValue.fromN("10"))));
        assertEquals(List.of("100", "1000"), sortKeys(mixed.items(), AttributeValue::n));
        assertDynamoError("ValidationException", null, () -> dynamo.query(r -> r.tableName(table)
                .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", AttributeValue.fromS("p"),
                        ":unused", AttributeValue.fromS("x")))));
    }

    @Test
    void scanFilterAndProjection() {
        String table = scanTable(5, 4);
        ScanResponse odd = dynamo.scan(r -> r.tableName(table).filterExpression("sk IN (:one, :three)")
                .projectionExpression("pk").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                        ":three", AttributeValue.fromN("3"))));
        assertEquals(10, odd.count());
        assertEquals(20, odd.scannedCount());
        assertEquals(Set.of("pk"), odd.items().get(0).keySet());
        ScanResponse legacy = dynamo.scan(r -> r.tableName(table).scanFilter(Map.of("pk",
                cond(ComparisonOperator.EQ, AttributeValue.fromS("p2")))));
        assertEquals(4, legacy.count());
    }

    private Set<String> scanAll(String table, int segment, int total, int limit) {
        Set<String> seen = new HashSet<>();
        Map<String, AttributeValue> start = null;
        for (int pages = 0; pages < 10_000; pages++) {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(r -> r.tableName(table).limit(limit).exclusiveStartKey(from)
                    .segment(total > 1 ? segment : null).totalSegments(total > 1 ? total : null));
            for (Map<String, AttributeValue> item : page.items()) {
                String id = item.get("pk").s() + "/" + item.get("sk").n();
                assertTrue(seen.add(id), "seen once: " + id);
            }
            if (!page.hasLastEvaluatedKey()) {
                return seen;
            }
            start = page.lastEvaluatedKey();
        }
        throw new AssertionError("scan did not end");
    }

    private String scanTable(int partitions, int perPartition) {
        String table = createTable("scan", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        for (int p = 0; p < partitions; p++) {
            for (int s = 0; s < perPartition; s++) {
                String pk = "p" + p;
                String sk = Integer.toString(s);
                dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(sk))));
            }
        }
        return table;
    }

    @Test
    void scanReturnsEveryItemOnceAcrossPagesAndParallelSegments() {
        String table = scanTable(40, 5);
        assertEquals(200, scanAll(table, 0, 1, 7).size());
        Set<String> union = new HashSet<>();
        int total = 4;
        for (int s = 0; s < total; s++) {
            for (String id : scanAll(table, s, total, 9)) {
                assertTrue(union.add(id), "in one segment only: " + id);
            }
        }
        assertEquals(200, union.size());
        // Many more segments than the cluster has hash segments: most are empty, none overlaps.
        Set<String> fine = new HashSet<>();
        for (int s = 0; s < 1000; s += 1) {
            fine.addAll(scanAll(table, s, 1000, 50));
        }
        assertEquals(200, fine.size());
    }

    @Test
    void scanWhileWritingNeverRepeatsAnItemAndSeesAllThatStayed() throws Exception {
        String table = scanTable(20, 10);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writes = writer.submit(() -> {
            try (var c = client(endpoint.toURI())) {
                for (int i = 0; i < 300; i++) {
                    String pk = "p" + (i % 25);
                    String sk = Integer.toString(100 + i);
                    c.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(sk))));
                }
            }
            return null;
        });
        Set<String> seen = scanAll(table, 0, 1, 3);
        writes.get();
        writer.shutdown();
        for (int p = 0; p < 20; p++) {
            for (int s = 0; s < 10; s++) {
                assertTrue(seen.contains("p" + p + "/" + s), "pre-existing item p" + p + "/" + s + " was scanned");
            }
        }
    }

    @jakarta.inject.Inject
    EddyRuntime runtime;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "eddy.infinispan.servers")
    String servers;

    private Set<String> scanAll(String table, boolean consistent) {
        Set<String> seen = new HashSet<>();
        Map<String, AttributeValue> start = null;
        for (int pages = 0; pages < 10_000; pages++) {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(r -> r.tableName(table).limit(7).exclusiveStartKey(from).consistentRead(consistent));
            for (Map<String, AttributeValue> item : page.items()) {
                assertTrue(seen.add(item.get("pk").s() + "/" + item.get("sk").n()), "seen once");
            }
            if (!page.hasLastEvaluatedKey()) {
                return seen;
            }
            start = page.lastEvaluatedKey();
        }
        throw new AssertionError("scan did not end");
    }

    @Test
    void eventuallyConsistentScansSeekThisInstancesCopyOfThePartitionsAndFollowAnotherInstancesWrites()
            throws Exception {
        String table = scanTable(12, 2);
        assertEquals(24, scanAll(table, false).size());
        long listings = runtime.eddy().items().keyListings();
        assertEquals(24, scanAll(table, false).size());
        assertEquals(listings, runtime.eddy().items().keyListings(),
                "eventually consistent scans find their partitions without listing the table's keys");
        assertEquals(24, scanAll(table, true).size());
        assertEquals(listings, runtime.eddy().items().keyListings(),
                "a consistent scan walks the partition directory, never a listing of the table's keys");

        // Another instance (its own Hot Rod clients) creates and removes partitions.
        var definition = runtime.eddy().catalog().find(table);
        var space = dev.eddy.core.storage.CollectionSpace.of(definition);
        try (var other = new dev.eddy.core.storage.Storage(new dev.eddy.core.StorageConfig(servers,
                dev.eddy.core.StorageConfig.DEFAULT_TEMPLATE, 0, dev.eddy.core.StorageConfig.DEFAULT_PAGE_BYTES))) {
            // as every instance of the run, it keeps values encrypted under the same master key (MasterKeyFile)
            var encryption = new dev.eddy.core.encryption.Encryption(other,
                    runtime.eddy().config().encryption().masterKeys());
            other.sealWith(encryption::sealOf);
            var otherItems = new dev.eddy.core.storage.ItemStore(other, dev.eddy.core.StorageConfig.DEFAULT_PAGE_BYTES,
                    new dev.eddy.core.Meters());
            for (int p = 100; p < 130; p++) {
                var pk = dev.eddy.core.model.AttributeValue.s("p" + p);
                var sk = dev.eddy.core.model.AttributeValue.n("0");
                otherItems.write(space, new dev.eddy.core.model.PrimaryKey(pk, sk), current -> Map.of("pk", pk, "sk", sk));
            }
            for (int p = 0; p < 5; p++) {
                var pk = dev.eddy.core.model.AttributeValue.s("p" + p);
                for (int s = 0; s < 2; s++) {
                    otherItems.write(space, new dev.eddy.core.model.PrimaryKey(pk, dev.eddy.core.model.AttributeValue.n(Integer.toString(s))),
                            current -> null);
                }
            }
        }
        assertEquals(24 + 30 - 10, scanAll(table, true).size(), "a consistent scan sees the other instance's writes at once");
        Set<String> seen = Set.of();
        for (int attempt = 0; attempt < 100 && seen.size() != 44; attempt++) {
            Thread.sleep(50);
            seen = scanAll(table, false);
        }
        assertEquals(44, seen.size(), "an eventually consistent scan converges on the other instance's writes");
        assertTrue(seen.contains("p129/0") && !seen.contains("p0/0") && seen.contains("p5/1"));
    }

    @Test
    void exclusiveStartKeyMustBelongToTheSegment() {
        String table = scanTable(10, 1);
        ScanResponse page = dynamo.scan(r -> r.tableName(table).limit(1).segment(0).totalSegments(2));
        Map<String, AttributeValue> key = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey()
                : dynamo.scan(r -> r.tableName(table).limit(1).segment(1).totalSegments(2)).lastEvaluatedKey();
        int owning = page.hasLastEvaluatedKey() ? 0 : 1;
        assertDynamoError("ValidationException",
                "The provided Exclusive start key does not map to the provided Segment and TotalSegments values.",
                () -> dynamo.scan(r -> r.tableName(table).segment(1 - owning).totalSegments(2).exclusiveStartKey(key)));
    }
}
