package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BatchGetItem and BatchWriteItem through the AWS SDK: round trips across tables, projections,
 * consistent and eventual reads, capacity, the 16 MB limits, and every validation error with
 * DynamoDB's type, status and text. Texts and orderings are real DynamoDB's as captured live in
 * 2026 (paritysuite/dynamodb-conformance, tier 3) and, where that says nothing, as dynalite's
 * tests against it record them. BatchGetItem answers from DynamoDB's newer validation framework,
 * BatchWriteItem from the older one, and their texts differ accordingly. Where BatchWriteItem
 * echoes the request in a violation, DynamoDB prints Java object hashes, so those messages are
 * matched as patterns.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class BatchOperationsTest extends DynamoTestBase {
    private static final String VALIDATION = "ValidationException";
    private static final String NOT_FOUND = "ResourceNotFoundException";
    private static final String E1 = "1 validation error detected: ";
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final String KEY_MISMATCH = "The provided key element does not match the schema";
    private static final String DUPLICATES = "Provided list of item keys contains duplicates";
    private static final String NOT_ONE_OF = "Supplied AttributeValue has more than one datatypes set, "
            + "must contain exactly one of the supported datatypes";
    private static final String MAP_VALUE = "Map value must satisfy constraint: [Member must have length less than "
            + "or equal to 25, Member must have length greater than or equal to 1]";
    private static final String MAP_KEYS = "Map keys must satisfy constraint: [Member must have length less than or "
            + "equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular "
            + "expression pattern: [a-zA-Z0-9_.-]+]";
    private static final String ENUM_RCC = "Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: "
            + "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]";
    private static final String ENUM_RICM = "Value 'BOGUS2' at 'returnItemCollectionMetrics' failed to satisfy "
            + "constraint: Member must satisfy enum value set: [SIZE, NONE]";
    private static final String NOT_NUMERIC = "The parameter cannot be converted to a numeric value";
    private static final String WRITE_REQUEST = "com\\.amazonaws\\.dynamodb\\.v20120810\\.WriteRequest@[0-9a-f]+";
    private static final ObjectMapper JSON = new ObjectMapper();

    // --- helpers ----------------------------------------------------------------------------------

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    private static Map<String, AttributeValue> item(Object... namesAndValues) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            m.put((String) namesAndValues[i], v instanceof AttributeValue a ? a : s((String) v));
        }
        return m;
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private static WriteRequest delete(Map<String, AttributeValue> key) {
        return WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build();
    }

    private static KeysAndAttributes keys(List<Map<String, AttributeValue>> keys) {
        return KeysAndAttributes.builder().keys(keys).consistentRead(true).build();
    }

    private String hashTable(String prefix) {
        return createTable(prefix, "pk", ScalarAttributeType.S, null, null);
    }

    private String rangeTable(String prefix) {
        return createTable(prefix, "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);
    }

    private Map<String, AttributeValue> get(String table, Map<String, AttributeValue> key) {
        var r = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true));
        return r.hasItem() ? r.item() : null;
    }

    private BatchWriteItemResponse write(Map<String, List<WriteRequest>> requestItems) {
        return dynamo.batchWriteItem(b -> b.requestItems(requestItems));
    }

    private BatchGetItemResponse read(Map<String, KeysAndAttributes> requestItems) {
        return dynamo.batchGetItem(b -> b.requestItems(requestItems));
    }

    /** As {@link #assertDynamoError}, for messages that print Java object hashes. */
    private static void assertDynamoErrorMatching(String type, String regex, Runnable request) {
        DynamoDbException e = assertDynamoError(type, null, request);
        String message = e.awsErrorDetails().errorMessage();
        assertTrue(Pattern.compile(regex, Pattern.DOTALL).matcher(message).matches(), "message: " + message);
    }

    private static Set<Map<String, AttributeValue>> asSet(List<Map<String, AttributeValue>> items) {
        return new HashSet<>(items);
    }

    private static Map<String, Double> unitsByTable(List<ConsumedCapacity> consumed, boolean indexes) {
        Map<String, Double> out = new HashMap<>();
        for (ConsumedCapacity c : consumed) {
            out.put(c.tableName(), c.capacityUnits());
            if (indexes) {
                assertEquals(c.capacityUnits(), c.table().capacityUnits(), "Table of " + c.tableName());
            } else {
                assertNull(c.table(), "no Table member with TOTAL");
            }
        }
        return out;
    }

    // --- round trips ------------------------------------------------------------------------------

    @Test
    void writesAndReadsAcrossTwoTables() {
        String hash = hashTable("b-rt-h");
        String range = rangeTable("b-rt-r");
        List<WriteRequest> hashWrites = new ArrayList<>();
        List<WriteRequest> rangeWrites = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            hashWrites.add(put(item("pk", "h" + i, "v", n(Integer.toString(i)))));
            rangeWrites.add(put(item("pk", "p", "sk", "s" + i, "v", "r" + i)));
        }
        // The same key in two tables is two items, not a duplicate.
        hashWrites.add(put(item("pk", "p", "other", "x")));
        Map<String, List<WriteRequest>> writes = new LinkedHashMap<>();
        writes.put(hash, hashWrites);
        writes.put(range, rangeWrites);
        BatchWriteItemResponse written = write(writes);
        assertTrue(written.hasUnprocessedItems(), "UnprocessedItems is always present");
        assertTrue(written.unprocessedItems().isEmpty());
        assertFalse(written.hasConsumedCapacity(), "no ConsumedCapacity unless asked");

        assertEquals(item("pk", "h3", "v", n("3")), get(hash, item("pk", "h3")));
        assertEquals(item("pk", "p", "sk", "s4", "v", "r4"), get(range, item("pk", "p", "sk", "s4")));
        assertEquals(item("pk", "p", "other", "x"), get(hash, item("pk", "p")));

        Map<String, KeysAndAttributes> reads = new LinkedHashMap<>();
        reads.put(hash, keys(List.of(item("pk", "h0"), item("pk", "h4"), item("pk", "missing"), item("pk", "p"))));
        reads.put(range, keys(List.of(item("pk", "p", "sk", "s1"), item("pk", "p", "sk", "s2"))));
        BatchGetItemResponse got = read(reads);
        assertTrue(got.hasUnprocessedKeys(), "UnprocessedKeys is always present");
        assertTrue(got.unprocessedKeys().isEmpty());
        assertEquals(Set.of(item("pk", "h0", "v", n("0")), item("pk", "h4", "v", n("4")), item("pk", "p", "other", "x")),
                asSet(got.responses().get(hash)));
        assertEquals(3, got.responses().get(hash).size(), "a missing key is simply absent");
        assertEquals(Set.of(item("pk", "p", "sk", "s1", "v", "r1"), item("pk", "p", "sk", "s2", "v", "r2")),
                asSet(got.responses().get(range)));
    }

    @Test
    void aTableWhoseKeysAreAllMissingAnswersAnEmptyList() {
        String table = hashTable("b-none");
        BatchGetItemResponse got = read(Map.of(table, keys(List.of(item("pk", "nothing-here")))));
        assertTrue(got.responses().containsKey(table));
        assertEquals(List.of(), got.responses().get(table));
        assertEquals(Map.of(), got.unprocessedKeys());
    }

    @Test
    void putsReplaceWholeItemsAndDeletesRemoveThemInOneBatch() {
        String table = rangeTable("b-mixed");
        dynamo.putItem(b -> b.tableName(table).item(item("pk", "a", "sk", "1", "old", "x", "keep", "no")));
        dynamo.putItem(b -> b.tableName(table).item(item("pk", "a", "sk", "2", "v", "gone")));
        BatchWriteItemResponse r = write(Map.of(table, List.of(
                put(item("pk", "a", "sk", "1", "new", "y")),
                delete(item("pk", "a", "sk", "2")),
                delete(item("pk", "a", "sk", "never-there")),
                put(item("pk", "b", "sk", "1", "v", "fresh")))));
        assertEquals(Map.of(), r.unprocessedItems());
        assertEquals(item("pk", "a", "sk", "1", "new", "y"), get(table, item("pk", "a", "sk", "1")),
                "a put replaces the whole item");
        assertNull(get(table, item("pk", "a", "sk", "2")));
        assertEquals(item("pk", "b", "sk", "1", "v", "fresh"), get(table, item("pk", "b", "sk", "1")));
    }

    @Test
    void numbersAndBinaryKeysAddressTheirItems() {
        String table = createTable("b-nb", "id", ScalarAttributeType.N, "bin", ScalarAttributeType.B);
        SdkBytes bytes = SdkBytes.fromByteArray(new byte[] {1, 2, 3});
        write(Map.of(table, List.of(put(item("id", n("10.0"), "bin", AttributeValue.fromB(bytes), "v", "a")))));
        BatchGetItemResponse got = read(Map.of(table,
                keys(List.of(item("id", n("1E1"), "bin", AttributeValue.fromB(bytes))))));
        assertEquals(List.of(item("id", n("10"), "bin", AttributeValue.fromB(bytes), "v", "a")), got.responses().get(table));
    }

    // --- projections and consistency --------------------------------------------------------------

    @Test
    void attributesToGetProjectsPerTable() {
        String table = hashTable("b-proj");
        String other = hashTable("b-proj2");
        dynamo.putItem(b -> b.tableName(table).item(item("pk", "a", "x", "1", "y", "2")));
        dynamo.putItem(b -> b.tableName(table).item(item("pk", "b", "y", "3")));
        dynamo.putItem(b -> b.tableName(table).item(item("pk", "c", "z", "4")));
        dynamo.putItem(b -> b.tableName(other).item(item("pk", "a", "x", "5", "y", "6")));
        Map<String, KeysAndAttributes> reads = new LinkedHashMap<>();
        reads.put(table, KeysAndAttributes.builder().consistentRead(true).attributesToGet("y", "x", "missing")
                .keys(item("pk", "a"), item("pk", "b"), item("pk", "c")).build());
        reads.put(other, keys(List.of(item("pk", "a"))));
        BatchGetItemResponse got = read(reads);
        // An item with none of the attributes is returned as an empty map, as DynamoDB does.
        assertEquals(Set.of(item("x", "1", "y", "2"), item("y", "3"), Map.of()), asSet(got.responses().get(table)));
        assertEquals(List.of(item("pk", "a", "x", "5", "y", "6")), got.responses().get(other),
                "the other table's entry has no projection");
    }

    @Test
    void projectionExpressionProjectsPathsPerTable() {
        String table = hashTable("b-pe");
        String other = hashTable("b-pe2");
        Map<String, AttributeValue> full = item("pk", "a", "x", "1", "name", "reserved word",
                "m", AttributeValue.fromM(Map.of("in", s("deep"), "out", s("not wanted"))),
                "l", AttributeValue.fromL(List.of(s("l0"), s("l1"), s("l2"))));
        dynamo.putItem(b -> b.tableName(table).item(full));
        dynamo.putItem(b -> b.tableName(table).item(item("pk", "b", "z", "nothing projected")));
        dynamo.putItem(b -> b.tableName(other).item(item("pk", "a", "x", "2")));
        Map<String, KeysAndAttributes> reads = new LinkedHashMap<>();
        reads.put(table, KeysAndAttributes.builder().keys(item("pk", "a"), item("pk", "b")).consistentRead(true)
                .projectionExpression("x, #n, m.#in, l[2], l[0], nothere").expressionAttributeNames(
                        Map.of("#n", "name", "#in", "in")).build());
        reads.put(other, KeysAndAttributes.builder().keys(item("pk", "a")).consistentRead(true)
                .projectionExpression("pk").build());
        BatchGetItemResponse got = read(reads);
        assertEquals(Set.of(item("x", "1", "name", "reserved word", "m", AttributeValue.fromM(Map.of("in", s("deep"))),
                "l", AttributeValue.fromL(List.of(s("l0"), s("l2")))), Map.of()), asSet(got.responses().get(table)));
        assertEquals(List.of(item("pk", "a")), got.responses().get(other));
    }

    @Test
    void projectionExpressionsAreCheckedAsDynamoDbChecksThem() {
        String table = hashTable("b-pe-err");
        String other = hashTable("b-pe-err2");
        KeysAndAttributes.Builder base = KeysAndAttributes.builder().keys(item("pk", "a"));
        // Captured live in 2026 (paritysuite/dynamodb-conformance, batchGetItem).
        assertDynamoError(VALIDATION, "Invalid ProjectionExpression: Two document paths overlap with each other; must "
                + "remove or rewrite one of these paths; path one: [a], path two: [a]",
                () -> read(Map.of(table, base.projectionExpression("a, a").build())));
        assertDynamoError(VALIDATION, "Invalid ProjectionExpression: Two document paths overlap with each other; must "
                + "remove or rewrite one of these paths; path one: [a], path two: [a, b]",
                () -> read(Map.of(table, base.projectionExpression("a, a.b").build())));
        assertDynamoError(VALIDATION, "Invalid ProjectionExpression: Two document paths overlap with each other; must "
                + "remove or rewrite one of these paths; path one: [a], path two: [a]",
                () -> read(Map.of(table, KeysAndAttributes.builder().keys(item("pk", "a")).projectionExpression("#a, #b")
                        .expressionAttributeNames(Map.of("#a", "a", "#b", "a")).build())));
        Map<String, KeysAndAttributes> oneBad = new LinkedHashMap<>();
        oneBad.put(table, KeysAndAttributes.builder().keys(item("pk", "a")).projectionExpression("a, a").build());
        oneBad.put(other, KeysAndAttributes.builder().keys(item("pk", "a")).projectionExpression("a").build());
        assertDynamoError(VALIDATION, "Invalid ProjectionExpression: Two document paths overlap with each other; must "
                + "remove or rewrite one of these paths; path one: [a], path two: [a]", () -> read(oneBad));
        // dynalite's tests against DynamoDB.
        assertDynamoError(VALIDATION, "Invalid ProjectionExpression: The expression can not be empty;",
                () -> read(Map.of(table, KeysAndAttributes.builder().keys(item("pk", "a")).projectionExpression("")
                        .build())));
        assertDynamoError(VALIDATION, "ExpressionAttributeNames must not be empty", () -> read(Map.of(table,
                KeysAndAttributes.builder().keys(item("pk", "a")).projectionExpression("a")
                        .expressionAttributeNames(Map.of()).build())));
        assertDynamoError(VALIDATION, "Value provided in ExpressionAttributeNames unused in expressions: keys: "
                + "{#unused}", () -> read(Map.of(table, KeysAndAttributes.builder().keys(item("pk", "a"))
                .projectionExpression("#a").expressionAttributeNames(Map.of("#a", "a", "#unused", "u")).build())));
        assertDynamoError(VALIDATION, "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved "
                + "keyword: name", () -> read(Map.of(table, KeysAndAttributes.builder().keys(item("pk", "a"))
                .projectionExpression("name").build())));
    }

    @Test
    void eventuallyConsistentReadsSeeWritesOnceTheNearCacheCatchesUp() throws Exception {
        String table = hashTable("b-eventual");
        for (int version = 0; version < 10; version++) {
            String v = Integer.toString(version);
            write(Map.of(table, List.of(put(item("pk", "k", "v", n(v))), put(item("pk", "k2", "v", n(v))))));
            // A consistent read sees the write at once.
            BatchGetItemResponse strong = read(Map.of(table, keys(List.of(item("pk", "k"), item("pk", "k2")))));
            for (Map<String, AttributeValue> i : strong.responses().get(table)) {
                assertEquals(v, i.get("v").n());
            }
            // An eventual one may lag the near cache's invalidation, briefly.
            Set<String> seen = Set.of();
            for (int attempt = 0; attempt < 400 && !seen.equals(Set.of(v)); attempt++) {
                BatchGetItemResponse eventual = read(Map.of(table, KeysAndAttributes.builder()
                        .keys(item("pk", "k"), item("pk", "k2")).build()));
                Set<String> versions = new HashSet<>();
                for (Map<String, AttributeValue> i : eventual.responses().get(table)) {
                    versions.add(i.get("v").n());
                }
                seen = versions;
                if (!seen.equals(Set.of(v))) {
                    Thread.sleep(5);
                }
            }
            assertEquals(Set.of(v), seen, "eventual reads converge on version " + v);
        }
    }

    // --- consumed capacity ------------------------------------------------------------------------

    @Test
    void writeCapacityIsPerTableAndPerItemSize() {
        String table = hashTable("b-wcu");
        String other = hashTable("b-wcu2");
        // 2 + 7 + 1 + 1100 bytes: over 1 KB, two write units; the small items one each.
        Map<String, AttributeValue> big = item("pk", "big-one", "b", "x".repeat(1100));
        Map<String, List<WriteRequest>> puts = new LinkedHashMap<>();
        puts.put(table, List.of(put(big), put(item("pk", "small"))));
        puts.put(other, List.of(put(item("pk", "k"))));
        BatchWriteItemResponse total = dynamo.batchWriteItem(b -> b.requestItems(puts)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(Map.of(table, 3.0, other, 1.0), unitsByTable(total.consumedCapacity(), false));
        BatchWriteItemResponse indexes = dynamo.batchWriteItem(b -> b.requestItems(puts)
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
        assertEquals(Map.of(table, 3.0, other, 1.0), unitsByTable(indexes.consumedCapacity(), true));

        // A delete costs by the size of what it removes, one unit when nothing was there.
        Map<String, List<WriteRequest>> deletes = new LinkedHashMap<>();
        deletes.put(table, List.of(delete(item("pk", "big-one")), delete(item("pk", "small"))));
        deletes.put(other, List.of(delete(item("pk", "k"))));
        BatchWriteItemResponse removed = dynamo.batchWriteItem(b -> b.requestItems(deletes)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(Map.of(table, 3.0, other, 1.0), unitsByTable(removed.consumedCapacity(), false));
        BatchWriteItemResponse again = dynamo.batchWriteItem(b -> b.requestItems(deletes)
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
        assertEquals(Map.of(table, 2.0, other, 1.0), unitsByTable(again.consumedCapacity(), true));
        BatchWriteItemResponse none = dynamo.batchWriteItem(b -> b.requestItems(deletes)
                .returnConsumedCapacity(ReturnConsumedCapacity.NONE));
        assertFalse(none.hasConsumedCapacity());
    }

    @Test
    void readCapacityIsPerKeyAndHalvedForEventualReads() {
        String table = hashTable("b-rcu");
        String other = hashTable("b-rcu2");
        // 2 + 7 + 1 + 4100 bytes: over 4 KB, two read units; a small item and a missing one one each.
        dynamo.putItem(b -> b.tableName(table).item(item("pk", "big-one", "b", "x".repeat(4100))));
        dynamo.putItem(b -> b.tableName(table).item(item("pk", "small")));
        List<Map<String, AttributeValue>> keyList = List.of(item("pk", "big-one"), item("pk", "small"), item("pk", "none"));
        for (boolean consistent : List.of(true, false)) {
            for (ReturnConsumedCapacity mode : List.of(ReturnConsumedCapacity.TOTAL, ReturnConsumedCapacity.INDEXES)) {
                Map<String, KeysAndAttributes> reads = new LinkedHashMap<>();
                reads.put(table, KeysAndAttributes.builder().keys(keyList).consistentRead(consistent).build());
                reads.put(other, KeysAndAttributes.builder().keys(item("pk", "none")).consistentRead(consistent).build());
                BatchGetItemResponse got = dynamo.batchGetItem(b -> b.requestItems(reads).returnConsumedCapacity(mode));
                double factor = consistent ? 1 : 0.5;
                assertEquals(Map.of(table, 4 * factor, other, factor),
                        unitsByTable(got.consumedCapacity(), mode == ReturnConsumedCapacity.INDEXES),
                        "consistent=" + consistent + " " + mode);
                assertEquals(2, got.responses().get(table).size());
            }
        }
        // The projection does not change what was read.
        BatchGetItemResponse projected = dynamo.batchGetItem(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .requestItems(Map.of(table, KeysAndAttributes.builder().keys(keyList).attributesToGet("pk")
                        .consistentRead(true).build())));
        assertEquals(Map.of(table, 4.0), unitsByTable(projected.consumedCapacity(), false));
    }

    // --- the 16 MB limits -------------------------------------------------------------------------

    @Test
    void dataPast16MegabytesIsReturnedAsUnprocessedKeysWithTheTableSettings() {
        String table = hashTable("b-16mb");
        // 42 items just under 400 KB: about 16.4 MB, more than one BatchGetItem returns.
        String filler = "f".repeat(400 * 1024 - 20);
        List<Map<String, AttributeValue>> keyList = new ArrayList<>();
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < 42; i++) {
            String pk = String.format("big-%02d", i);
            keyList.add(item("pk", pk));
            batch.add(put(item("pk", pk, "f", filler)));
            if (batch.size() == 25 || i == 41) {
                assertEquals(Map.of(), write(Map.of(table, batch)).unprocessedItems());
                batch = new ArrayList<>();
            }
        }
        for (KeysAndAttributes entry : List.of(
                KeysAndAttributes.builder().keys(keyList).consistentRead(true).attributesToGet("pk", "f").build(),
                KeysAndAttributes.builder().keys(keyList).projectionExpression("pk, #f")
                        .expressionAttributeNames(Map.of("#f", "f")).build())) {
            BatchGetItemResponse first = dynamo.batchGetItem(b -> b.requestItems(Map.of(table, entry))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            int returned = first.responses().get(table).size();
            KeysAndAttributes rest = first.unprocessedKeys().get(table);
            assertTrue(rest != null && rest.hasKeys(), "some keys are left for the next call");
            assertEquals(40, returned, "as many 400 KB items as fit in 16 MB");
            assertEquals(42, returned + rest.keys().size());
            // The table's settings come back with its keys, so the entry can be sent again as it is.
            assertEquals(entry.toBuilder().keys(rest.keys()).build(), rest);
            // Only what was returned is charged: 100 units per 400 KB item, half that when eventual.
            double units = Boolean.TRUE.equals(entry.consistentRead()) ? 100.0 : 50.0;
            assertEquals(Map.of(table, returned * units), unitsByTable(first.consumedCapacity(), false));

            BatchGetItemResponse second = dynamo.batchGetItem(b -> b.requestItems(first.unprocessedKeys()));
            assertEquals(Map.of(), second.unprocessedKeys());
            Set<String> all = new HashSet<>();
            for (Map<String, AttributeValue> i : first.responses().get(table)) {
                all.add(i.get("pk").s());
            }
            for (Map<String, AttributeValue> i : second.responses().get(table)) {
                all.add(i.get("pk").s());
                assertEquals(filler, i.get("f").s());
            }
            assertEquals(42, all.size(), "every item once across the two calls");
        }
    }

    @Test
    void aWriteRequestOver16MegabytesIsRefusedAndWritesNothing() {
        String table = hashTable("b-16mb-w");
        // Each item is just under 400 KB as DynamoDB counts it but about 700 KB as JSON: 25 of them pass 16 MB.
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put("pk", s("k" + i));
            item.put("bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[240_000])));
            for (int a = 0; a < 20_000; a++) {
                item.put(String.format("a%05d", a), n("1"));
            }
            writes.add(put(item));
        }
        assertDynamoError(VALIDATION, "BatchWriteItem request size has exceeded the maximum allowed size of 16 MB",
                () -> write(Map.of(table, writes)));
        assertNull(get(table, item("pk", "k0")));
    }

    // --- BatchWriteItem validation ----------------------------------------------------------------

    @Test
    void writeRequestItemsMustBeThereAndNotEmpty() {
        assertDynamoError(VALIDATION, "The requestItems parameter is required for BatchWriteItem",
                () -> dynamo.batchWriteItem(b -> { }));
        assertDynamoError(VALIDATION, "The requestItems parameter is required for BatchWriteItem",
                () -> write(Map.of()));
        String table = hashTable("b-w-empty");
        assertDynamoError(VALIDATION, E1 + "Value '{" + table + "=[]}' at 'requestItems' failed to satisfy constraint: "
                + MAP_VALUE, () -> write(Map.of(table, List.of())));
    }

    @Test
    void writeEnumsAreCheckedFirstAndReportedAlone() {
        String table = hashTable("b-w-enum");
        Map<String, List<WriteRequest>> good = Map.of(table, List.of(put(item("pk", "enum"))));
        assertDynamoError(VALIDATION, E1 + ENUM_RCC, () -> dynamo.batchWriteItem(b -> b.requestItems(good)
                .returnConsumedCapacity("BOGUS")));
        assertDynamoError(VALIDATION, E1 + ENUM_RICM, () -> dynamo.batchWriteItem(b -> b.requestItems(good)
                .returnItemCollectionMetrics("BOGUS2")));
        assertDynamoError(VALIDATION, "2 validation errors detected: " + ENUM_RCC + "; " + ENUM_RICM,
                () -> dynamo.batchWriteItem(b -> b.requestItems(good).returnConsumedCapacity("BOGUS")
                        .returnItemCollectionMetrics("BOGUS2")));
        assertNull(get(table, item("pk", "enum")));
        // Ahead of a missing table, and alone over a malformed table name.
        assertDynamoError(VALIDATION, E1 + ENUM_RCC, () -> dynamo.batchWriteItem(b -> b.returnConsumedCapacity("BOGUS")
                .requestItems(Map.of(uniqueName("b-w-nowhere"), List.of(put(item("pk", "a")))))));
        assertDynamoError(VALIDATION, E1 + ENUM_RCC, () -> dynamo.batchWriteItem(b -> b.returnConsumedCapacity("BOGUS")
                .requestItems(Map.of("bad!name", List.of(put(item("pk", "a")))))));
    }

    @Test
    void writeRequestItemsViolationsAreReportedTogether() {
        // A short table name, a missing item and a missing key: each is a violation of its own.
        assertDynamoErrorMatching(VALIDATION, Pattern.quote("3 validation errors detected: Value '{a;=[")
                + WRITE_REQUEST + Pattern.quote("]}' at 'requestItems' failed to satisfy constraint: " + MAP_KEYS + "; "
                + "Value null at 'requestItems.a;.member.1.member.deleteRequest.key' failed to satisfy constraint: "
                + "Member must not be null; "
                + "Value null at 'requestItems.a;.member.1.member.putRequest.item' failed to satisfy constraint: "
                + "Member must not be null"),
                () -> write(Map.of("a;", List.of(WriteRequest.builder().putRequest(PutRequest.builder().build())
                        .deleteRequest(DeleteRequest.builder().build()).build()))));
    }

    @Test
    void moreThan25WritesAreRefused() {
        String table = hashTable("b-w-26");
        String other = rangeTable("b-w-26r");
        List<WriteRequest> many = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            many.add(i % 2 == 0 ? put(item("pk", "k" + i)) : delete(item("pk", "k" + i)));
        }
        assertDynamoErrorMatching(VALIDATION, Pattern.quote(E1 + "Value '{" + table + "=[") + WRITE_REQUEST
                + "(, " + WRITE_REQUEST + "){25}" + Pattern.quote("]}' at 'requestItems' failed to satisfy constraint: "
                + MAP_VALUE), () -> write(Map.of(table, many)));
        // Across tables, the limit is on the total.
        Map<String, List<WriteRequest>> split = new LinkedHashMap<>();
        split.put(table, many.subList(0, 13));
        List<WriteRequest> ranged = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            ranged.add(put(item("pk", "k", "sk", "s" + i)));
        }
        split.put(other, ranged);
        assertDynamoError(VALIDATION, "Too many items requested for the BatchWriteItem call", () -> write(split));
        assertNull(get(table, item("pk", "k0")));
        // Exactly 25 is fine.
        Map<String, List<WriteRequest>> fits = new LinkedHashMap<>();
        fits.put(table, many.subList(0, 12));
        fits.put(other, ranged);
        assertEquals(Map.of(), write(fits).unprocessedItems());
        assertEquals(item("pk", "k0"), get(table, item("pk", "k0")));
    }

    @Test
    void aWriteRequestIsExactlyOneOfPutAndDelete() {
        String table = hashTable("b-w-shape");
        assertDynamoError(VALIDATION, NOT_ONE_OF, () -> write(Map.of(table, List.of(WriteRequest.builder().build()))));
        assertDynamoError(VALIDATION, NOT_ONE_OF, () -> write(Map.of(table, List.of(
                put(item("pk", "ok")),
                WriteRequest.builder().putRequest(PutRequest.builder().item(item("pk", "a")).build())
                        .deleteRequest(DeleteRequest.builder().key(item("pk", "b")).build()).build()))));
        assertNull(get(table, item("pk", "ok")));
        assertNull(get(table, item("pk", "a")));
    }

    @Test
    void twoWritesToOneItemAreDuplicates() {
        String table = hashTable("b-w-dup");
        String range = rangeTable("b-w-dupr");
        assertDynamoError(VALIDATION, DUPLICATES, () -> write(Map.of(table, List.of(
                put(item("pk", "a", "v", "1")), put(item("pk", "a", "v", "2"))))));
        assertDynamoError(VALIDATION, DUPLICATES, () -> write(Map.of(table, List.of(
                put(item("pk", "a")), delete(item("pk", "a"))))));
        assertDynamoError(VALIDATION, DUPLICATES, () -> write(Map.of(table, List.of(
                delete(item("pk", "a")), put(item("pk", "a"))))));
        assertDynamoError(VALIDATION, DUPLICATES, () -> write(Map.of(table, List.of(
                delete(item("pk", "a")), delete(item("pk", "a"))))));
        assertDynamoError(VALIDATION, DUPLICATES, () -> write(Map.of(range, List.of(
                put(item("pk", "p", "sk", "c")), put(item("pk", "p", "sk", "c", "extra", "x"))))));
        assertNull(get(table, item("pk", "a")));
        assertNull(get(range, item("pk", "p", "sk", "c")));
        // One key part in common is not a duplicate.
        write(Map.of(range, List.of(put(item("pk", "p", "sk", "c")), put(item("pk", "p", "sk", "d")),
                put(item("pk", "q", "sk", "c")))));
        assertEquals(item("pk", "q", "sk", "c"), get(range, item("pk", "q", "sk", "c")));
    }

    @Test
    void aMissingTableFailsTheWholeBatch() {
        String table = hashTable("b-w-nf");
        String missing = uniqueName("b-w-nowhere");
        Map<String, List<WriteRequest>> writes = new LinkedHashMap<>();
        writes.put(table, List.of(put(item("pk", "written?"))));
        writes.put(missing, List.of(put(item("pk", "a"))));
        assertDynamoError(NOT_FOUND, "Requested resource not found", () -> write(writes));
        assertNull(get(table, item("pk", "written?")));
        // The tables are looked up before keys are compared.
        assertDynamoError(NOT_FOUND, "Requested resource not found", () -> write(Map.of(missing,
                List.of(put(item("pk", "a")), delete(item("pk", "a"))))));
        assertDynamoError(NOT_FOUND, "Requested resource not found", () -> write(Map.of(missing,
                List.of(put(Map.of())))));
    }

    @Test
    void keysMustMatchTheSchemaAndNothingIsWrittenOtherwise() {
        String table = hashTable("b-w-key");
        String range = rangeTable("b-w-keyr");
        List<Map<String, AttributeValue>> badItems = List.of(Map.of(), item("other", "a"), item("pk", n("1")),
                item("pk", AttributeValue.fromBool(true)), item("pk", AttributeValue.fromSs(List.of("a"))));
        for (Map<String, AttributeValue> bad : badItems) {
            assertDynamoError(VALIDATION, KEY_MISMATCH, () -> write(Map.of(table, List.of(
                    put(item("pk", "first")), put(bad), put(item("pk", "last"))))));
        }
        assertDynamoError(VALIDATION, KEY_MISMATCH, () -> write(Map.of(range, List.of(put(item("pk", "only-hash"))))));
        assertDynamoError(VALIDATION, KEY_MISMATCH, () -> write(Map.of(table, List.of(
                put(item("pk", "first")), delete(item("pk", "a", "extra", "b"))))));
        assertDynamoError(VALIDATION, KEY_MISMATCH, () -> write(Map.of(range, List.of(delete(item("pk", "a"))))));
        assertDynamoError(VALIDATION, INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes",
                () -> write(Map.of(table, List.of(put(item("pk", "first")), put(item("pk", "k".repeat(2049)))))));
        assertDynamoError(VALIDATION, INVALID + "Aggregated size of all range keys has exceeded the size limit of "
                + "1024 bytes", () -> write(Map.of(range, List.of(put(item("pk", "a", "sk", "s".repeat(1025)))))));
        assertDynamoError(VALIDATION, "One or more parameter values are not valid. The AttributeValue for a key "
                + "attribute cannot contain an empty string value. Key: pk",
                () -> write(Map.of(table, List.of(put(item("pk", ""))))));
        // A delete key's empty value is worded as a put item's is, unlike DeleteItem's.
        assertDynamoError(VALIDATION, "One or more parameter values are not valid. The AttributeValue for a key "
                + "attribute cannot contain an empty string value. Key: pk",
                () -> write(Map.of(table, List.of(delete(item("pk", ""))))));
        String binary = createTable("b-w-keyb", "pk", ScalarAttributeType.B, null, null);
        for (WriteRequest w : List.of(put(item("pk", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[0])))),
                delete(item("pk", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[0])))))) {
            assertDynamoError(VALIDATION, "One or more parameter values are not valid. The AttributeValue for a key "
                    + "attribute cannot contain an empty binary value. Key: pk", () -> write(Map.of(binary, List.of(w))));
        }
        assertNull(get(table, item("pk", "first")));
        assertNull(get(table, item("pk", "last")));
    }

    @Test
    void badValuesAndOversizedItemsAreRefusedBeforeTablesAreLookedUp() {
        String table = hashTable("b-w-values");
        String missing = uniqueName("b-w-nowhere");
        assertDynamoError(VALIDATION, "The parameter cannot be converted to a numeric value: abc",
                () -> write(Map.of(table, List.of(put(item("pk", "first")), put(item("pk", "a", "n", n("abc")))))));
        assertDynamoError(VALIDATION, "Supplied AttributeValue is empty, must contain exactly one of the supported "
                + "datatypes", () -> write(Map.of(table, List.of(put(item("pk", "a", "e", AttributeValue.builder().build()))))));
        // BatchWriteItem words value errors as DynamoDB's older value layer does.
        assertDynamoError(VALIDATION, NOT_NUMERIC, () -> write(Map.of(table, List.of(put(item("pk", "a", "n", n("")))))));
        assertDynamoError(VALIDATION, "Number overflow. Attempting to store a number with magnitude larger than "
                + "supported range", () -> write(Map.of(table, List.of(put(item("pk", "a", "n", n("1e126")))))));
        assertDynamoError(VALIDATION, INVALID + "Input collection [b, a, b] contains duplicates.",
                () -> write(Map.of(missing, List.of(put(item("pk", "a", "ss", AttributeValue.fromSs(List.of("b", "a", "b"))))))));
        assertDynamoError(VALIDATION, INVALID + "Input collection [/w==, AA==, AA==]of type BS contains duplicates.",
                () -> write(Map.of(table, List.of(put(item("pk", "a", "m", AttributeValue.fromM(Map.of("bs",
                        AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {(byte) 0xFF}),
                                SdkBytes.fromByteArray(new byte[] {0}), SdkBytes.fromByteArray(new byte[] {0})))))))))));
        assertDynamoError(VALIDATION, "Input collection contains duplicates",
                () -> write(Map.of(table, List.of(delete(item("pk", AttributeValue.fromNs(List.of("2", "1", "2"))))))));
        // One byte over 400 KB: 2 + 1 (pk) + 1 + 409596 (b) = 409600 is the limit.
        Map<String, AttributeValue> tooBig = item("pk", "a", "b", "x".repeat(409_597));
        assertDynamoError(VALIDATION, "Item size has exceeded the maximum allowed size",
                () -> write(Map.of(table, List.of(put(item("pk", "first")), put(tooBig)))));
        assertDynamoError(VALIDATION, "Item size has exceeded the maximum allowed size",
                () -> write(Map.of(missing, List.of(put(tooBig)))));
        assertNull(get(table, item("pk", "first")));
        Map<String, AttributeValue> atLimit = item("pk", "a", "b", "x".repeat(409_596));
        assertEquals(Map.of(), write(Map.of(table, List.of(put(atLimit)))).unprocessedItems());
        assertEquals(atLimit, get(table, item("pk", "a")));
    }

    @Test
    void constraintViolationsComeBeforeValueErrorsAndWrongJsonTypesBeforeBoth() throws Exception {
        // A short table name and an empty attribute value: the name is reported.
        assertDynamoErrorMatching(VALIDATION, Pattern.quote(E1 + "Value '{ab=[") + WRITE_REQUEST
                + Pattern.quote("]}' at 'requestItems' failed to satisfy constraint: " + MAP_KEYS),
                () -> write(Map.of("ab", List.of(put(item("pk", "a", "e", AttributeValue.builder().build()))))));
        // A string where a number is expected fails as DynamoDB's reader fails it, before any rule.
        HttpResponse<String> raw = rawRequest("BatchWriteItem",
                "{\"RequestItems\": {\"ab\": [{\"PutRequest\": {\"Item\": {\"pk\": {\"S\": 5}}}}]}}");
        assertEquals(400, raw.statusCode());
        JsonNode body = JSON.readTree(raw.body());
        assertEquals("com.amazon.coral.service#SerializationException", body.get("__type").asText());
        assertEquals("NUMBER_VALUE cannot be converted to String", body.get("Message").asText());
        raw = rawRequest("BatchGetItem", "{\"RequestItems\": {\"ab\": {\"Keys\": [{\"pk\": {\"S\": 5}}]}}}");
        assertEquals(400, raw.statusCode());
        assertEquals("NUMBER_VALUE cannot be converted to String", JSON.readTree(raw.body()).get("Message").asText());
    }

    // --- BatchGetItem validation ------------------------------------------------------------------

    @Test
    void readRequestItemsMustBeThereAndEveryTableNeedsKeys() {
        assertDynamoError(VALIDATION, E1 + "Value null at 'requestItems' failed to satisfy constraint: "
                + "Member must not be null", () -> dynamo.batchGetItem(b -> { }));
        assertDynamoError(VALIDATION, E1 + "Value at 'RequestItems' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1", () -> read(Map.of()));
        String table = hashTable("b-g-keys");
        assertDynamoError(VALIDATION, E1 + "Value at 'RequestItems." + table + ".member.Keys' failed to satisfy "
                + "constraint: Member must have length greater than or equal to 1", () -> read(Map.of(table,
                KeysAndAttributes.builder().keys(List.of()).build())));
        assertDynamoError(VALIDATION, "2 validation errors detected: Value at 'RequestItems." + table + ".member.Keys' "
                + "failed to satisfy constraint: Member must not be null; " + ENUM_RCC,
                () -> dynamo.batchGetItem(b -> b.returnConsumedCapacity("BOGUS").requestItems(Map.of(table,
                        KeysAndAttributes.builder().consistentRead(true).build()))));
        assertDynamoError(VALIDATION, E1 + "Value at 'RequestItems." + table + ".member.AttributesToGet' failed "
                + "to satisfy constraint: Member must have length greater than or equal to 1", () -> read(Map.of(table,
                KeysAndAttributes.builder().keys(item("pk", "a")).attributesToGet(List.of()).build())));
        assertDynamoError(VALIDATION, E1 + ENUM_RCC, () -> dynamo.batchGetItem(b -> b.returnConsumedCapacity("BOGUS")
                .requestItems(Map.of(uniqueName("b-g-nowhere"), KeysAndAttributes.builder().keys(item("pk", "a")).build()))));
    }

    @Test
    void aMalformedTableNameIsReportedWithTheRequestItemsAsJson() {
        // Captured in us-east-1 and eu-west-2, 2026-10-09; both regions agree, the enum listed after.
        String mapKeys = "Value '{\"bad!name\":{\"Keys\":[{\"pk\":{\"S\":\"a\"}}]}}' at 'requestItems' failed to "
                + "satisfy constraint: " + MAP_KEYS;
        Map<String, KeysAndAttributes> badName = Map.of("bad!name", KeysAndAttributes.builder().keys(item("pk", "a")).build());
        assertDynamoError(VALIDATION, E1 + mapKeys, () -> read(badName));
        assertDynamoError(VALIDATION, "2 validation errors detected: " + mapKeys + "; " + ENUM_RCC,
                () -> dynamo.batchGetItem(b -> b.requestItems(badName).returnConsumedCapacity("BOGUS")));
    }

    @Test
    void moreThan100KeysAreRefused() {
        String table = hashTable("b-g-101");
        String other = rangeTable("b-g-101r");
        List<Map<String, AttributeValue>> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(item("pk", "k" + i));
        }
        assertDynamoError(VALIDATION, E1 + "Value at 'RequestItems." + table + ".member.Keys' failed to satisfy "
                + "constraint: Member must have length less than or equal to 100", () -> read(Map.of(table, keys(many))));
        List<Map<String, AttributeValue>> ranged = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            ranged.add(item("pk", "p", "sk", "s" + i));
        }
        Map<String, KeysAndAttributes> split = new LinkedHashMap<>();
        split.put(table, keys(many.subList(0, 60)));
        split.put(other, keys(ranged));
        assertDynamoError(VALIDATION, "Too many items requested for the BatchGetItem call", () -> read(split));
        Map<String, KeysAndAttributes> fits = new LinkedHashMap<>();
        fits.put(table, keys(many.subList(0, 59)));
        fits.put(other, keys(ranged));
        BatchGetItemResponse got = read(fits);
        assertEquals(List.of(), got.responses().get(table));
        assertEquals(Map.of(), got.unprocessedKeys());
    }

    @Test
    void duplicateKeysAreRefusedEvenBeforeTheTableIsLookedUp() {
        String table = rangeTable("b-g-dup");
        String numbers = createTable("b-g-dupn", "id", ScalarAttributeType.N, null, null);
        assertDynamoError(VALIDATION, DUPLICATES, () -> read(Map.of(table, keys(List.of(
                item("pk", "a", "sk", "1"), item("pk", "b", "sk", "1"), item("sk", "1", "pk", "a"))))));
        assertDynamoError(VALIDATION, DUPLICATES, () -> read(Map.of(numbers, keys(List.of(
                item("id", n("1")), item("id", n("1.0")))))));
        assertDynamoError(VALIDATION, DUPLICATES, () -> read(Map.of(uniqueName("b-g-nowhere"), keys(List.of(
                item("pk", "a"), item("pk", "a"))))));
        // The same key in two tables is not a duplicate.
        String other = rangeTable("b-g-dup2");
        Map<String, KeysAndAttributes> two = new LinkedHashMap<>();
        two.put(table, keys(List.of(item("pk", "a", "sk", "1"))));
        two.put(other, keys(List.of(item("pk", "a", "sk", "1"))));
        assertEquals(Map.of(), read(two).unprocessedKeys());
    }

    @Test
    void readProjectionParametersFollowDynamoDbRules() {
        String table = hashTable("b-g-params");
        assertDynamoError(VALIDATION, INVALID + "Duplicate value in attribute name: a", () -> read(Map.of(table,
                KeysAndAttributes.builder().keys(item("pk", "x")).attributesToGet("a", "b", "a").build())));
        assertDynamoError(VALIDATION, "Can not use both expression and non-expression parameters in the same "
                + "request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
                () -> read(Map.of(table, KeysAndAttributes.builder().keys(item("pk", "x")).attributesToGet("a")
                        .projectionExpression("a").build())));
        assertDynamoError(VALIDATION, "ExpressionAttributeNames can only be specified when using expressions",
                () -> read(Map.of(table, KeysAndAttributes.builder().keys(item("pk", "x")).attributesToGet("a")
                        .expressionAttributeNames(Map.of("#a", "a")).build())));
        // One request may not mix the two styles, even in different tables' entries (2026 capture).
        String other = hashTable("b-g-params2");
        Map<String, KeysAndAttributes> mixed = new LinkedHashMap<>();
        mixed.put(table, KeysAndAttributes.builder().keys(item("pk", "x")).projectionExpression("pk").build());
        mixed.put(other, KeysAndAttributes.builder().keys(item("pk", "x")).attributesToGet("pk").build());
        assertDynamoError(VALIDATION, "Can not use both expression and non-expression parameters in the same "
                + "request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
                () -> read(mixed));
    }

    @Test
    void readKeysMustMatchTheSchemaOfAnExistingTable() {
        String table = hashTable("b-g-key");
        String range = rangeTable("b-g-keyr");
        assertDynamoError(NOT_FOUND, "Requested resource not found", () -> read(Map.of(uniqueName("b-g-nowhere"),
                keys(List.of(Map.of())))));
        Map<String, KeysAndAttributes> oneMissing = new LinkedHashMap<>();
        oneMissing.put(table, keys(List.of(item("pk", "a"))));
        oneMissing.put(uniqueName("b-g-nowhere"), keys(List.of(item("pk", "a"))));
        assertDynamoError(NOT_FOUND, "Requested resource not found", () -> read(oneMissing));
        for (Map<String, AttributeValue> bad : List.of(Map.<String, AttributeValue>of(), item("other", "a"),
                item("pk", n("1")), item("pk", "a", "extra", "b"))) {
            assertDynamoError(VALIDATION, KEY_MISMATCH, () -> read(Map.of(table, keys(List.of(item("pk", "ok"), bad)))));
        }
        assertDynamoError(VALIDATION, KEY_MISMATCH, () -> read(Map.of(range, keys(List.of(item("pk", "a"))))));
        // Worded as an item's empty key is, unlike GetItem's.
        assertDynamoError(VALIDATION, "One or more parameter values are not valid. The AttributeValue for a key "
                + "attribute cannot contain an empty string value. Key: pk", () -> read(Map.of(table, keys(List.of(item("pk", ""))))));
        String binary = createTable("b-g-keyb", "pk", ScalarAttributeType.B, null, null);
        assertDynamoError(VALIDATION, "One or more parameter values are not valid. The AttributeValue for a key "
                + "attribute cannot contain an empty binary value. Key: pk", () -> read(Map.of(binary, keys(List.of(
                item("pk", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[0]))))))));
        assertDynamoError(VALIDATION, INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes",
                () -> read(Map.of(table, keys(List.of(item("pk", "k".repeat(2049)))))));
        // BatchGetItem words value errors as DynamoDB's current value layer does, bare.
        assertDynamoError(VALIDATION, NOT_NUMERIC + ": x1", () -> read(Map.of(table, keys(List.of(item("pk", n("x1")))))));
        assertDynamoError(VALIDATION, NOT_NUMERIC + ": ", () -> read(Map.of(table, keys(List.of(item("pk", n("")))))));
        assertDynamoError(VALIDATION, INVALID + "Input collection [\"a\", \"b\", \"b\"] contains duplicates.",
                () -> read(Map.of(table, keys(List.of(item("pk", AttributeValue.fromSs(List.of("b", "a", "b"))))))));
    }

    // --- the function path ------------------------------------------------------------------------

    @Test
    void batchesAreFunqyFunctionsToo() throws Exception {
        String table = hashTable("b-funqy");
        HttpResponse<String> written = post("/BatchWriteItem", "{\"RequestItems\": {\"" + table
                + "\": [{\"PutRequest\": {\"Item\": {\"pk\": {\"S\": \"f\"}, \"n\": {\"N\": \"01\"}}}}]}}");
        assertEquals(200, written.statusCode(), written.body());
        assertEquals("{\"UnprocessedItems\":{}}", written.body());
        HttpResponse<String> got = post("/BatchGetItem", "{\"RequestItems\": {\"" + table
                + "\": {\"Keys\": [{\"pk\": {\"S\": \"f\"}}], \"ConsistentRead\": true}}}");
        assertEquals(200, got.statusCode(), got.body());
        assertEquals("{\"Responses\":{\"" + table + "\":[{\"pk\":{\"S\":\"f\"},\"n\":{\"N\":\"1\"}}]},"
                + "\"UnprocessedKeys\":{}}", got.body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.toString().replaceAll("/$", "") + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A request the SDK cannot send (a member of the wrong JSON type), on the wire protocol. */
    private HttpResponse<String> rawRequest(String operation, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(endpoint.toURI())
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
