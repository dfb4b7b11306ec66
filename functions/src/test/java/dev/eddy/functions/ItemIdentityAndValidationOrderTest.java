package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which requests name the same item (transactions, batches), and that a request is validated in
 * full before its condition is evaluated or anything of it is written (issue 17, items 3 to 5), and
 * in transactions which faults refuse the request and which cancel the transaction.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class ItemIdentityAndValidationOrderTest extends DynamoTestBase {
    private static final String INDEX_TYPE_MISMATCH = "One or more parameter values were invalid: Type mismatch for "
            + "Index Key gk Expected: S Actual: N IndexName: byG";

    private static AttributeValue b(int... bytes) {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        return AttributeValue.fromB(SdkBytes.fromByteArray(raw));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    /** A table keyed by pk (S) with a global index on gk (S). */
    private String indexedTable() {
        String name = uniqueName("indexed");
        dynamo.createTable(c -> c.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("gk").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexes(g -> g.indexName("byG").keySchema(k -> k.attributeName("gk").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        return name;
    }

    @Test
    void transactionOnDistinctBinaryKeysOfTheSameLength() {
        String table = createTable("bin", "pk", ScalarAttributeType.B, null, null);
        for (List<AttributeValue> keys : List.of(List.of(b(0x00), b(0x01)), List.of(b('a'), b('b')))) {
            dynamo.transactWriteItems(t -> t.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of("pk", keys.get(0)))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of("pk", keys.get(1)))).build()));
            assertEquals(2, dynamo.transactGetItems(t -> t.transactItems(
                    TransactGetItem.builder().get(g -> g.tableName(table).key(Map.of("pk", keys.get(0)))).build(),
                    TransactGetItem.builder().get(g -> g.tableName(table).key(Map.of("pk", keys.get(1)))).build()))
                    .responses().stream().filter(r -> r.item() != null && !r.item().isEmpty()).count());
        }
        assertDynamoError("ValidationException", "Transaction request cannot include multiple operations on one item",
                () -> dynamo.transactWriteItems(t -> t.transactItems(
                        TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of("pk", b(7)))).build(),
                        TransactWriteItem.builder().delete(d -> d.tableName(table).key(Map.of("pk", b(7)))).build())));
    }

    @Test
    void transactGetItemsRefusesTheSameItemTwice() {
        String table = createTable("tget", "pk", ScalarAttributeType.S, null, null);
        assertDynamoError("ValidationException", "Transaction request cannot include multiple operations on one item",
                () -> dynamo.transactGetItems(t -> t.transactItems(
                        TransactGetItem.builder().get(g -> g.tableName(table).key(Map.of("pk", s("a")))).build(),
                        TransactGetItem.builder().get(g -> g.tableName(table).key(Map.of("pk", s("a")))).build())));
    }

    /**
     * DynamoDB keeps one normalised form of a number, so 1, 1.0 and 01 (and 0 and -0) address one
     * item: a batch that names it twice repeats a key.
     */
    @Test
    void numericKeysEqualAsNumbersAreOneItem() {
        String table = createTable("num", "pk", ScalarAttributeType.N, null, null);
        dynamo.putItem(p -> p.tableName(table).item(Map.of("pk", n("1.0"), "v", s("one"))));
        assertEquals("one", dynamo.getItem(g -> g.tableName(table).key(Map.of("pk", n("01"))).consistentRead(true))
                .item().get("v").s());
        for (List<String> pair : List.of(List.of("1", "1.0"), List.of("1", "01"), List.of("0", "-0"))) {
            assertDynamoError("ValidationException", "Provided list of item keys contains duplicates",
                    () -> dynamo.batchGetItem(r -> r.requestItems(Map.of(table, software.amazon.awssdk.services.dynamodb
                            .model.KeysAndAttributes.builder().keys(Map.of("pk", n(pair.get(0))),
                                    Map.of("pk", n(pair.get(1)))).build()))));
        }
    }

    @Test
    void batchWriteWithOneItemItsIndexRefusesWritesNothing() {
        String table = indexedTable();
        assertDynamoError("ValidationException", INDEX_TYPE_MISMATCH, () -> dynamo.batchWriteItem(r -> r.requestItems(
                Map.of(table, List.of(
                        WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of("pk", s("good"), "gk", s("x")))
                                .build()).build(),
                        WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of("pk", s("bad"), "gk", n("1")))
                                .build()).build())))));
        assertFalse(dynamo.getItem(g -> g.tableName(table).key(Map.of("pk", s("good"))).consistentRead(true)).hasItem());
    }

    @Test
    void aWrongTypedIndexKeyIsAValidationErrorEvenWhenTheConditionFails() {
        String table = indexedTable();
        dynamo.putItem(p -> p.tableName(table).item(Map.of("pk", s("a"), "gk", s("x"))));
        assertDynamoError("ValidationException", INDEX_TYPE_MISMATCH, () -> dynamo.putItem(p -> p.tableName(table)
                .item(Map.of("pk", s("a"), "gk", n("1"))).conditionExpression("attribute_not_exists(pk)")));
        assertDynamoError("ValidationException", INDEX_TYPE_MISMATCH, () -> dynamo.updateItem(u -> u.tableName(table)
                .key(Map.of("pk", s("a"))).updateExpression("SET gk = :n").conditionExpression("attribute_not_exists(pk)")
                .expressionAttributeValues(Map.of(":n", n("1")))));
        // A valid update whose condition fails still fails on the condition.
        assertDynamoError("ConditionalCheckFailedException", null, () -> dynamo.updateItem(u -> u.tableName(table)
                .key(Map.of("pk", s("a"))).updateExpression("SET gk = :s").conditionExpression("attribute_not_exists(pk)")
                .expressionAttributeValues(Map.of(":s", s("y")))));
        assertTrue(dynamo.getItem(g -> g.tableName(table).key(Map.of("pk", s("a"))).consistentRead(true))
                .item().get("gk").s().equals("x"));
    }

    // --- TransactWriteItems: what refuses the request, and what cancels the transaction -----------
    // As the real service answers (captures of 2026 in paritysuite/dynamodb-conformance: tier3
    // validation-ordering/transactions, error-messages/transactWriteItems and transactIndexKeys).

    /** The transaction is cancelled, each action's reason code in order; returns the reasons' messages. */
    private static List<String> cancelled(Runnable request, String... codes) {
        TransactionCanceledException e = assertThrows(TransactionCanceledException.class, request::run);
        assertEquals(List.of(codes), e.cancellationReasons().stream().map(CancellationReason::code).toList(),
                e.getMessage());
        return e.cancellationReasons().stream().map(CancellationReason::message).toList();
    }

    private static TransactWriteItem put(String table, Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression(condition)).build();
    }

    @Test
    void aTransactionValidatesAnItemBeforeItsCondition() {
        String table = indexedTable();
        dynamo.putItem(p -> p.tableName(table).item(Map.of("pk", s("a"), "gk", s("x"))));
        // A wrong-typed index key value is this action's ValidationError even though its condition fails.
        assertEquals(INDEX_TYPE_MISMATCH, cancelled(() -> dynamo.transactWriteItems(t -> t.transactItems(
                put(table, Map.of("pk", s("a"), "gk", n("1")), "attribute_not_exists(pk)"))), "ValidationError").get(0));
        assertEquals(INDEX_TYPE_MISMATCH, cancelled(() -> dynamo.transactWriteItems(t -> t.transactItems(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", s("a")))
                        .updateExpression("SET gk = :n").conditionExpression("attribute_not_exists(pk)")
                        .expressionAttributeValues(Map.of(":n", n("1")))).build(),
                put(table, Map.of("pk", s("b")), null))), "ValidationError", "None").get(0));
        // A valid item whose condition fails is ConditionalCheckFailed, as before.
        cancelled(() -> dynamo.transactWriteItems(t -> t.transactItems(
                put(table, Map.of("pk", s("a"), "gk", s("y")), "attribute_not_exists(pk)"))), "ConditionalCheckFailed");
        assertEquals("x", dynamo.getItem(g -> g.tableName(table).key(Map.of("pk", s("a"))).consistentRead(true))
                .item().get("gk").s());
        assertFalse(dynamo.getItem(g -> g.tableName(table).key(Map.of("pk", s("b"))).consistentRead(true)).hasItem());
    }

    @Test
    void aKeyThatDoesNotMatchTheSchemaCancelsTheTransaction() {
        String table = indexedTable();
        List<String> reasons = cancelled(() -> dynamo.transactWriteItems(t -> t.transactItems(
                put(table, Map.of("pk", s("fine")), null),
                put(table, Map.of("pk", n("5")), null))), "None", "ValidationError");
        assertEquals("One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N",
                reasons.get(1));
        String mismatch = "The provided key element does not match the schema";
        Map<String, AttributeValue> wrong = Map.of("pk", n("5"));
        assertEquals(mismatch, cancelled(() -> dynamo.transactWriteItems(t -> t.transactItems(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(wrong).updateExpression("SET a = :v")
                        .expressionAttributeValues(Map.of(":v", s("x")))).build())), "ValidationError").get(0));
        assertEquals(mismatch, cancelled(() -> dynamo.transactWriteItems(t -> t.transactItems(
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(wrong)).build())), "ValidationError").get(0));
        assertEquals(mismatch, cancelled(() -> dynamo.transactWriteItems(t -> t.transactItems(
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(wrong)
                        .conditionExpression("attribute_exists(pk)")).build())), "ValidationError").get(0));
        assertFalse(dynamo.getItem(g -> g.tableName(table).key(Map.of("pk", s("fine"))).consistentRead(true)).hasItem());
    }

    @Test
    void emptyKeyValuesRefuseTheWholeTransaction() {
        String table = indexedTable();
        assertDynamoError("ValidationException", "One or more parameter values are not valid. A value specified for a "
                + "secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty "
                + "string value. IndexName: byG, IndexKey: gk", () -> dynamo.transactWriteItems(t -> t.transactItems(
                put(table, Map.of("pk", s("e"), "gk", s("")), null))));
        assertDynamoError("ValidationException", "One or more parameter values are not valid. The update expression "
                + "attempted to update a secondary index key to a value that is not supported. The AttributeValue for "
                + "a key attribute cannot contain an empty string value.", () -> dynamo.transactWriteItems(t -> t
                .transactItems(TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", s("e")))
                        .updateExpression("SET gk = :e").expressionAttributeValues(Map.of(":e", s("")))).build())));
        assertDynamoError("ValidationException", "One or more parameter values are not valid. The AttributeValue for a "
                + "key attribute cannot contain an empty string value. Key: pk", () -> dynamo.transactWriteItems(t -> t
                .transactItems(TransactWriteItem.builder().delete(d -> d.tableName(table).key(Map.of("pk", s(""))))
                        .build())));
    }

    @Test
    void whatARequestSaysIsCheckedOnEveryActionBeforeAnyTableIsLookedUp() {
        String table = indexedTable();
        String missing = uniqueName("missing");
        TransactWriteItem onMissingTable = put(missing, Map.of("pk", s("a")), null);
        DynamoDbException malformed = assertDynamoError("ValidationException", null, () -> dynamo.transactWriteItems(
                t -> t.transactItems(onMissingTable, TransactWriteItem.builder().conditionCheck(c -> c.tableName(table)
                        .key(Map.of("pk", s("c"))).conditionExpression("attribute_not_exists(")).build())));
        assertTrue(malformed.awsErrorDetails().errorMessage().startsWith("Invalid ConditionExpression: Syntax error"),
                malformed.awsErrorDetails().errorMessage());
        assertDynamoError("ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: "
                + "keys: {:v}", () -> dynamo.transactWriteItems(t -> t.transactItems(onMissingTable,
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(Map.of("pk", s("c")))
                        .conditionExpression("attribute_not_exists(pk)")
                        .expressionAttributeValues(Map.of(":v", s("x")))).build())));
        assertDynamoError("ResourceNotFoundException", null, () -> dynamo.transactWriteItems(t -> t.transactItems(
                onMissingTable, put(table, Map.of("pk", s("c")), null))));
    }
}
