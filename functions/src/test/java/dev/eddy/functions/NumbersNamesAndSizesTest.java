package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Numbers, names and sizes at DynamoDB's edges (issue 17, item 10): a zero with any exponent is
 * zero; attribute names other than keys may have up to 65 535 bytes; a request over 16 MB is
 * refused before it is read as an operation (the HTTP side, a 413 before the body is read, is the
 * endpoint's).
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class NumbersNamesAndSizesTest extends DynamoTestBase {

    @Test
    void zeroIsZeroWhateverItsExponent() {
        String table = createTable("zero", "pk", ScalarAttributeType.S, null, null);
        for (String zero : List.of("0e1000", "0e126", "-0e-131", "0.000E99999999999", "-0")) {
            dynamo.putItem(p -> p.tableName(table).item(Map.of("pk", AttributeValue.fromS(zero),
                    "n", AttributeValue.fromN(zero))));
            assertEquals("0", dynamo.getItem(g -> g.tableName(table).key(Map.of("pk", AttributeValue.fromS(zero)))
                    .consistentRead(true)).item().get("n").n(), zero);
        }
        String numbers = createTable("zerokey", "pk", ScalarAttributeType.N, null, null);
        dynamo.putItem(p -> p.tableName(numbers).item(Map.of("pk", AttributeValue.fromN("0e1000"))));
        assertEquals(1, dynamo.getItem(g -> g.tableName(numbers).key(Map.of("pk", AttributeValue.fromN("0")))
                .consistentRead(true)).item().size());
    }

    @Test
    void nonKeyAttributeNamesMayHave65535Bytes() {
        String table = createTable("names", "pk", ScalarAttributeType.S, null, null);
        String ascii = "a".repeat(65_535);
        String threeByte = "\u20ac".repeat(21_845); // 65 535 bytes of UTF-8
        for (String name : List.of(ascii, threeByte)) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(name.substring(0, 1)));
            dynamo.putItem(p -> p.tableName(table).item(Map.of("pk", AttributeValue.fromS(name.substring(0, 1)),
                    name, AttributeValue.fromS("v"))));
            dynamo.updateItem(u -> u.tableName(table).key(key).updateExpression("SET #n = :w")
                    .expressionAttributeNames(Map.of("#n", name)).expressionAttributeValues(Map.of(":w", AttributeValue.fromS("w"))));
            assertEquals("w", dynamo.getItem(g -> g.tableName(table).key(key).consistentRead(true)).item().get(name).s());
            // PartiQL reads the item back through the same operations: the name survives that too.
            assertEquals("w", dynamo.executeStatement(e -> e.statement("SELECT * FROM \"" + table + "\" WHERE pk = ?")
                    .parameters(AttributeValue.fromS(name.substring(0, 1))).consistentRead(true)).items().get(0).get(name).s());
        }
        // Key attribute names stay at 255.
        assertDynamoError("ValidationException", null, () -> dynamo.createTable(c -> c.tableName(uniqueName("long"))
                .billingMode("PAY_PER_REQUEST").keySchema(k -> k.attributeName("k".repeat(256)).keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("k".repeat(256)).attributeType("S"))));
    }

    @Test
    void aRequestOver16MegabytesIsRefused() {
        String table = createTable("huge", "pk", ScalarAttributeType.S, null, null);
        // over 16 MB but under the endpoint's body limit (quarkus.http.limits.max-body-size, 17M), past which
        // the HTTP layer answers 413 before the operation sees the request
        String big = "x".repeat(16 * 1024 * 1024 + 512 * 1024);
        assertDynamoError("ValidationException", "PutItem request size has exceeded the maximum allowed size of 16 MB",
                () -> dynamo.putItem(p -> p.tableName(table)
                        .item(Map.of("pk", AttributeValue.fromS("a"), "big", AttributeValue.fromS(big)))));
        // past it: DynamoDB's sentence with HTTP 413, before the body is processed
        String tooBig = "x".repeat(17 * 1024 * 1024);
        DynamoDbException refused = assertThrows(DynamoDbException.class, () -> dynamo.putItem(p -> p.tableName(table)
                .item(Map.of("pk", AttributeValue.fromS("a"), "big", AttributeValue.fromS(tooBig)))));
        assertEquals(413, refused.statusCode());
        assertEquals("ValidationException", refused.awsErrorDetails().errorCode());
        assertEquals("PutItem request size has exceeded the maximum allowed size of 16 MB",
                refused.awsErrorDetails().errorMessage());
        // Just under the limit the request is read, and refused for the item's size as DynamoDB does.
        String underLimit = "x".repeat(15 * 1024 * 1024);
        assertDynamoError("ValidationException", "Item size has exceeded the maximum allowed size",
                () -> dynamo.putItem(p -> p.tableName(table)
                        .item(Map.of("pk", AttributeValue.fromS("a"), "big", AttributeValue.fromS(underLimit)))));
    }
}
