package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a Query's or Scan's filter and projection may name (issue 17, item 6): no filter on the
 * key the Query goes by, nothing an index does not project, no nested path into a key attribute,
 * and legacy operators outside their enums refused with DynamoDB's 400 (they were a 500).
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class ReadPathRulesTest extends DynamoTestBase {
    private static final Map<String, AttributeValue> P = Map.of(":p", AttributeValue.fromS("a"));

    /** pk/sk table; local index byL on (pk, lk), KEYS_ONLY; global index byG on gk, INCLUDE inc. */
    private String table() {
        String name = uniqueName("paths");
        dynamo.createTable(c -> c.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("lk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("gk").attributeType(ScalarAttributeType.S))
                .localSecondaryIndexes(l -> l.indexName("byL")
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("lk").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                .globalSecondaryIndexes(g -> g.indexName("byG").keySchema(k -> k.attributeName("gk").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("inc"))));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        dynamo.putItem(p -> p.tableName(name).item(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS("1"),
                "x", AttributeValue.fromN("1"))));
        return name;
    }

    @Test
    void aQueryMayNotFilterOnTheKeyItGoesBy() {
        String t = table();
        assertDynamoError("ValidationException",
                "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
                () -> dynamo.query(q -> q.tableName(t).keyConditionExpression("pk = :p").filterExpression("sk > :p")
                        .expressionAttributeValues(P)));
        assertDynamoError("ValidationException",
                "QueryFilter can only contain non-primary key attributes: Primary key attribute: sk",
                () -> dynamo.query(q -> q.tableName(t)
                        .keyConditions(Map.of("pk", cond(ComparisonOperator.EQ, "a")))
                        .queryFilter(Map.of("sk", cond(ComparisonOperator.GT, "0")))));
        // On the local index the key is (pk, lk): sk is an ordinary (projected) attribute there.
        assertEquals(0, dynamo.query(q -> q.tableName(t).indexName("byL").keyConditionExpression("pk = :p")
                .filterExpression("sk > :p").expressionAttributeValues(P)).count());
        // A Scan may filter on anything.
        assertEquals(1, dynamo.scan(s -> s.tableName(t).filterExpression("sk <> :p").expressionAttributeValues(P)).count());
    }

    /** The rule binds clients' Query requests, not the Query a PartiQL SELECT is planned into. */
    @Test
    void aSelectMayNameTheSortKeyTwice() {
        String t = table();
        dynamo.putItem(p -> p.tableName(t).item(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS("3"))));
        assertEquals(2, dynamo.executeStatement(e -> e.statement("SELECT * FROM \"" + t
                + "\" WHERE pk = 'a' AND sk >= '1' AND sk < '5'")).items().size());
    }

    @Test
    void anIndexReadMayNotNeedWhatTheIndexDoesNotProject() {
        String t = table();
        assertDynamoError("ValidationException", "One or more parameter values were invalid: Secondary index byL does "
                        + "not project one or more filter attributes: [x, y]",
                () -> dynamo.query(q -> q.tableName(t).indexName("byL").keyConditionExpression("pk = :p")
                        .filterExpression("y = :p OR x = :p").expressionAttributeValues(P)));
        assertDynamoError("ValidationException", "One or more parameter values were invalid: Secondary index byG does "
                        + "not project one or more filter attributes: [x]",
                () -> dynamo.scan(s -> s.tableName(t).indexName("byG").filterExpression("x = :p AND inc = :p")
                        .expressionAttributeValues(P)));
        assertDynamoError("ValidationException", "One or more parameter values were invalid: Secondary index byG does "
                        + "not project one or more projection attributes: [x]",
                () -> dynamo.query(q -> q.tableName(t).indexName("byG").keyConditionExpression("gk = :p")
                        .projectionExpression("gk, inc, x").expressionAttributeValues(P)));
        assertDynamoError("ValidationException", "One or more parameter values were invalid: Select type ALL_ATTRIBUTES "
                        + "is not supported for global secondary index byG because its projection type is not ALL",
                () -> dynamo.query(q -> q.tableName(t).indexName("byG").keyConditionExpression("gk = :p")
                        .select("ALL_ATTRIBUTES").expressionAttributeValues(P)));
        // What the index holds is fine, and a local index fetches a projection from the table.
        assertEquals(0, dynamo.query(q -> q.tableName(t).indexName("byG").keyConditionExpression("gk = :p")
                .filterExpression("inc = :p AND pk = :p").projectionExpression("sk, inc").expressionAttributeValues(P)).count());
        assertEquals(1, dynamo.query(q -> q.tableName(t).indexName("byL").keyConditionExpression("pk = :p")
                .projectionExpression("x").expressionAttributeValues(P)).count() + 1);
    }

    @Test
    void keyAttributesAreScalarsInProjectionsAndFilters() {
        String t = table();
        assertDynamoError("ValidationException", "Key attributes must be scalars; list random access '[]' and map "
                        + "lookup '.' are not allowed: Key: sk",
                () -> dynamo.query(q -> q.tableName(t).keyConditionExpression("pk = :p").projectionExpression("sk[0]")
                        .expressionAttributeValues(P)));
        assertDynamoError("ValidationException", "Key attributes must be scalars; list random access '[]' and map "
                        + "lookup '.' are not allowed: Key: pk",
                () -> dynamo.getItem(g -> g.tableName(t).key(Map.of("pk", AttributeValue.fromS("a"),
                        "sk", AttributeValue.fromS("1"))).projectionExpression("pk.m")));
        assertDynamoError("ValidationException", "Key attributes must be scalars; list random access '[]' and map "
                        + "lookup '.' are not allowed: IndexKey: gk",
                () -> dynamo.scan(s -> s.tableName(t).filterExpression("gk.x = :p").expressionAttributeValues(P)));
    }

    @Test
    void legacyOperatorsOutsideTheirEnumsAreValidationErrors() {
        String t = table();
        assertDynamoError("ValidationException", "1 validation error detected: Value 'eq' at "
                        + "'queryFilter.x.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum "
                        + "value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
                () -> dynamo.query(q -> q.tableName(t).keyConditions(Map.of("pk", cond(ComparisonOperator.EQ, "a")))
                        .queryFilter(Map.of("x", Condition.builder().comparisonOperator("eq")
                                .attributeValueList(AttributeValue.fromN("1")).build()))));
        assertDynamoError("ValidationException", "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed "
                        + "to satisfy constraint: Member must satisfy enum value set: [OR, AND]",
                () -> dynamo.scan(s -> s.tableName(t).conditionalOperator("XOR")
                        .scanFilter(Map.of("x", cond(ComparisonOperator.EQ, "1"), "y", cond(ComparisonOperator.EQ, "1")))));
    }

    /**
     * Which legacy and expression parameters go together, for each read and write operation, as
     * DynamoDB's own check names them (its texts as dynalite's tests captured them).
     */
    @Test
    void parameterMixesFollowDynamoDb() {
        String t = table();
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS("1"));
        String mixed = "Can not use both expression and non-expression parameters in the same request: ";
        assertDynamoError("ValidationException", mixed + "Non-expression parameters: {AttributesToGet, QueryFilter, "
                        + "ConditionalOperator, KeyConditions} Expression parameters: {ProjectionExpression, FilterExpression, "
                        + "KeyConditionExpression}",
                () -> dynamo.query(q -> q.tableName(t).attributesToGet("x").conditionalOperator("OR")
                        .queryFilter(Map.of("x", cond(ComparisonOperator.EQ, "1"), "y", cond(ComparisonOperator.EQ, "1")))
                        .keyConditions(Map.of("pk", cond(ComparisonOperator.EQ, "a")))
                        .projectionExpression("x").filterExpression("y = :p").keyConditionExpression("pk = :p")
                        .expressionAttributeValues(P)));
        // Without KeyConditionExpression, KeyConditions is no conflict and is not named.
        assertDynamoError("ValidationException", mixed + "Non-expression parameters: {QueryFilter} Expression "
                        + "parameters: {FilterExpression}",
                () -> dynamo.query(q -> q.tableName(t).keyConditions(Map.of("pk", cond(ComparisonOperator.EQ, "a")))
                        .queryFilter(Map.of("x", cond(ComparisonOperator.EQ, "1"))).filterExpression("y = :p")
                        .expressionAttributeValues(P)));
        assertEquals(1, dynamo.query(q -> q.tableName(t).keyConditions(Map.of("pk", cond(ComparisonOperator.EQ, "a")))
                .filterExpression("x = :one").projectionExpression("x")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).count());
        assertDynamoError("ValidationException", mixed + "Non-expression parameters: {AttributesToGet, ScanFilter} "
                        + "Expression parameters: {ProjectionExpression, FilterExpression}",
                () -> dynamo.scan(s -> s.tableName(t).attributesToGet("x").scanFilter(Map.of("x", cond(ComparisonOperator.EQ, "1")))
                        .projectionExpression("x").filterExpression("y = :p").expressionAttributeValues(P)));
        // For the item writes DynamoDB names Expected (and AttributeUpdates), never ConditionalOperator.
        assertDynamoError("ValidationException", mixed + "Non-expression parameters: {Expected} Expression parameters: "
                        + "{ConditionExpression}",
                () -> dynamo.putItem(p -> p.tableName(t).item(key).conditionalOperator("AND")
                        .expected(Map.of("x", software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue.builder()
                                .exists(false).build(), "y", software.amazon.awssdk.services.dynamodb.model
                                .ExpectedAttributeValue.builder().exists(false).build()))
                        .conditionExpression("attribute_exists(pk)")));
        assertDynamoError("ValidationException", mixed + "Non-expression parameters: {AttributeUpdates, Expected} "
                        + "Expression parameters: {UpdateExpression, ConditionExpression}",
                () -> dynamo.updateItem(u -> u.tableName(t).key(key).conditionalOperator("AND")
                        .expected(Map.of("x", software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue.builder()
                                .exists(false).build()))
                        .attributeUpdates(Map.of("z", software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate
                                .builder().action("PUT").value(AttributeValue.fromS("v")).build()))
                        .updateExpression("SET w = :p").conditionExpression("attribute_exists(pk)")
                        .expressionAttributeValues(P)));
    }

    private static Condition cond(ComparisonOperator op, String s) {
        return Condition.builder().comparisonOperator(op).attributeValueList(AttributeValue.fromS(s)).build();
    }
}
