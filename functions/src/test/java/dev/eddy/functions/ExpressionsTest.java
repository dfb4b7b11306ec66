package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalOperator;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnItemCollectionMetrics;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Condition, update and projection expressions, and the legacy Expected, through the AWS SDK:
 * conditional writes, counters, nested documents, optimistic locking, ReturnValues, and every
 * error as DynamoDB words it (texts checked against DynamoDB Local 2.6.1 unless noted).
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class ExpressionsTest extends DynamoTestBase {
    private static final String VALIDATION = "ValidationException";
    private static final String CONDITIONAL = "ConditionalCheckFailedException";

    private static AttributeValue s(String s) {
        return AttributeValue.fromS(s);
    }

    private static AttributeValue n(String n) {
        return AttributeValue.fromN(n);
    }

    private static AttributeValue l(AttributeValue... elements) {
        return AttributeValue.fromL(List.of(elements));
    }

    private static AttributeValue m(String k, AttributeValue v) {
        return AttributeValue.fromM(Map.of(k, v));
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk));
    }

    private String table() {
        return createTable("expr", "pk", ScalarAttributeType.S, null, null);
    }

    /** The item, or null when there is none (the SDK gives an empty map for a missing Item). */
    private Map<String, AttributeValue> get(String table, String pk) {
        var response = dynamo.getItem(r -> r.tableName(table).key(key(pk)).consistentRead(true));
        return response.hasItem() ? response.item() : null;
    }

    // --- conditional writes ---------------------------------------------------------------------

    @Test
    void putIfAbsentWinsOnceAndFailsAfter() {
        String t = table();
        dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("a"), "v", n("1")))
                .conditionExpression("attribute_not_exists(pk)"));
        assertDynamoError(CONDITIONAL, "The conditional request failed", () -> dynamo.putItem(r -> r.tableName(t)
                .item(Map.of("pk", s("a"), "v", n("2"))).conditionExpression("attribute_not_exists(pk)")));
        assertEquals(n("1"), get(t, "a").get("v"), "the failed put changed nothing");
    }

    @Test
    void conditionsCompareWhatIsStored() {
        String t = table();
        dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("a"), "price", n("10"), "tags",
                AttributeValue.fromSs(List.of("x", "y")), "name", s("widget"))));
        dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("a"), "price", n("11")))
                .conditionExpression("price BETWEEN :lo AND :hi AND contains(tags, :tag) AND begins_with(#n, :p) "
                        + "AND size(#n) = :six AND attribute_type(price, :N)")
                .expressionAttributeNames(Map.of("#n", "name"))
                .expressionAttributeValues(Map.of(":lo", n("9.5"), ":hi", n("1E1"), ":tag", s("y"), ":p", s("wid"),
                        ":six", n("6"), ":N", s("N"))));
        assertEquals(n("11"), get(t, "a").get("price"));
        // A comparison across types is false, not an error.
        assertDynamoError(CONDITIONAL, "The conditional request failed", () -> dynamo.putItem(r -> r.tableName(t)
                .item(key("a")).conditionExpression("price < :s").expressionAttributeValues(Map.of(":s", s("z")))));
        dynamo.deleteItem(r -> r.tableName(t).key(key("a")).conditionExpression("price <> :s")
                .expressionAttributeValues(Map.of(":s", s("z"))));
        assertNull(get(t, "a"));
        assertDynamoError(CONDITIONAL, "The conditional request failed", () -> dynamo.deleteItem(r -> r.tableName(t)
                .key(key("a")).conditionExpression("attribute_exists(pk)")));
    }

    @Test
    void optimisticLockingOnAVersionAttribute() {
        String t = table();
        dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("doc"), "version", n("1"), "body", s("first"))));
        dynamo.updateItem(r -> r.tableName(t).key(key("doc"))
                .updateExpression("SET body = :b, version = version + :one")
                .conditionExpression("version = :expected")
                .expressionAttributeValues(Map.of(":b", s("second"), ":one", n("1"), ":expected", n("1"))));
        // A writer still holding version 1 loses, and the item keeps the winner's write.
        assertDynamoError(CONDITIONAL, "The conditional request failed", () -> dynamo.updateItem(r -> r.tableName(t)
                .key(key("doc")).updateExpression("SET body = :b, version = version + :one")
                .conditionExpression("version = :expected")
                .expressionAttributeValues(Map.of(":b", s("stale"), ":one", n("1"), ":expected", n("1")))));
        Map<String, AttributeValue> item = get(t, "doc");
        assertEquals(n("2"), item.get("version"));
        assertEquals(s("second"), item.get("body"));
    }

    @Test
    void returnValuesOnConditionCheckFailureCarriesTheItem() {
        String t = table();
        dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("a"), "s", s("cat"))));
        ConditionalCheckFailedException e = assertThrows(ConditionalCheckFailedException.class, () -> dynamo.putItem(
                r -> r.tableName(t).item(Map.of("pk", s("a"), "s", s("cow"))).conditionExpression("s = :v")
                        .expressionAttributeValues(Map.of(":v", s("dog")))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertEquals(Map.of("pk", s("a"), "s", s("cat")), e.item());
        e = assertThrows(ConditionalCheckFailedException.class, () -> dynamo.updateItem(r -> r.tableName(t)
                .key(key("a")).updateExpression("SET s = :v").conditionExpression("attribute_not_exists(pk)")
                .expressionAttributeValues(Map.of(":v", s("dog")))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertEquals(Map.of("pk", s("a"), "s", s("cat")), e.item());
        e = assertThrows(ConditionalCheckFailedException.class, () -> dynamo.deleteItem(r -> r.tableName(t)
                .key(key("a")).expected(Map.of("s", ExpectedAttributeValue.builder().value(s("dog")).build()))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertEquals(Map.of("pk", s("a"), "s", s("cat")), e.item());
        // Without ALL_OLD, or with no item to return, there is none.
        e = assertThrows(ConditionalCheckFailedException.class, () -> dynamo.putItem(r -> r.tableName(t)
                .item(key("a")).conditionExpression("attribute_not_exists(pk)")));
        assertFalse(e.hasItem());
        e = assertThrows(ConditionalCheckFailedException.class, () -> dynamo.putItem(r -> r.tableName(t)
                .item(key("new")).conditionExpression("attribute_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertFalse(e.hasItem());
        assertDynamoError(VALIDATION, "1 validation error detected: Value 'ALL_NEW' at "
                + "'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value "
                + "set: [ALL_OLD, NONE]", () -> dynamo.putItem(r -> r.tableName(t).item(key("a"))
                .returnValuesOnConditionCheckFailure("ALL_NEW")));
    }

    // --- updates --------------------------------------------------------------------------------

    @Test
    void countersAndSets() {
        String t = table();
        for (int i = 0; i < 3; i++) {
            dynamo.updateItem(r -> r.tableName(t).key(key("c"))
                    .updateExpression("ADD hits :one SET score = if_not_exists(score, :zero) + :five")
                    .expressionAttributeValues(Map.of(":one", n("1"), ":zero", n("0"), ":five", n("5"))));
        }
        UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(t).key(key("c"))
                .updateExpression("ADD tags :t SET score = score - :half").returnValues(ReturnValue.UPDATED_NEW)
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromSs(List.of("a", "b")), ":half", n("0.5"))));
        assertEquals(n("14.5"), r.attributes().get("score"));
        assertEquals(List.of("a", "b"), r.attributes().get("tags").ss());
        Map<String, AttributeValue> item = get(t, "c");
        assertEquals(n("3"), item.get("hits"));
        dynamo.updateItem(b -> b.tableName(t).key(key("c")).updateExpression("DELETE tags :t")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromSs(List.of("a", "b")))));
        assertFalse(get(t, "c").containsKey("tags"), "an emptied set is removed");
    }

    @Test
    void nestedDocuments() {
        String t = table();
        dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("d"),
                "profile", AttributeValue.fromM(Map.of("name", s("Ann"), "tags", l(s("a"), s("b"), s("c")))))));
        dynamo.updateItem(r -> r.tableName(t).key(key("d"))
                .updateExpression("SET profile.#n = :name, profile.tags[5] = :z, profile.address = :addr "
                        + "REMOVE profile.tags[0]")
                .expressionAttributeNames(Map.of("#n", "name"))
                .expressionAttributeValues(Map.of(":name", s("Bea"), ":z", s("z"), ":addr", m("city", s("Oslo")))));
        Map<String, AttributeValue> profile = get(t, "d").get("profile").m();
        assertEquals(s("Bea"), profile.get("name"));
        assertEquals(l(s("b"), s("c"), s("z")), profile.get("tags"), "removed by old index, appended past the end");
        assertEquals(m("city", s("Oslo")), profile.get("address"));
        dynamo.updateItem(r -> r.tableName(t).key(key("d"))
                .updateExpression("SET profile.tags = list_append(profile.tags, :more)")
                .expressionAttributeValues(Map.of(":more", l(s("w")))));

        Map<String, AttributeValue> projected = dynamo.getItem(r -> r.tableName(t).key(key("d")).consistentRead(true)
                .projectionExpression("profile.address.city, profile.tags[3], profile.tags[0]")).item();
        assertEquals(Map.of("profile", AttributeValue.fromM(Map.of("address", m("city", s("Oslo")),
                "tags", l(s("b"), s("w"))))), projected);
        Map<String, AttributeValue> nothing = dynamo.getItem(r -> r.tableName(t).key(key("d")).consistentRead(true)
                .projectionExpression("absent")).item();
        assertEquals(Map.of(), nothing, "an item that exists comes back empty when the projection reaches nothing");

        assertDynamoError(VALIDATION, "The document path provided in the update expression is invalid for update",
                () -> dynamo.updateItem(r -> r.tableName(t).key(key("d")).updateExpression("SET nowhere.x = :v")
                        .expressionAttributeValues(Map.of(":v", n("1")))));
        assertDynamoError(VALIDATION, "The provided expression refers to an attribute that does not exist in the item",
                () -> dynamo.updateItem(r -> r.tableName(t).key(key("d")).updateExpression("SET x = nowhere + :v")
                        .expressionAttributeValues(Map.of(":v", n("1")))));
        assertDynamoError(VALIDATION, "An operand in the update expression has an incorrect data type",
                () -> dynamo.updateItem(r -> r.tableName(t).key(key("d")).updateExpression("ADD profile :v")
                        .expressionAttributeValues(Map.of(":v", n("1")))));
    }

    @Test
    void anUpdateThatOnlyRemovesCreatesNoItem() {
        String t = table();
        UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(t).key(key("ghost")).updateExpression("REMOVE a")
                .returnValues(ReturnValue.ALL_NEW));
        assertFalse(r.hasAttributes());
        assertNull(get(t, "ghost"));
        dynamo.updateItem(b -> b.tableName(t).key(key("ghost")).attributeUpdates(Map.of("a",
                AttributeValueUpdate.builder().action(AttributeAction.DELETE).build())));
        assertNull(get(t, "ghost"));
        r = dynamo.updateItem(b -> b.tableName(t).key(key("real")).updateExpression("SET a = :v REMOVE b")
                .expressionAttributeValues(Map.of(":v", n("1"))).returnValues(ReturnValue.ALL_NEW));
        assertEquals(Map.of("pk", s("real"), "a", n("1")), r.attributes());
    }

    @Test
    void returnValuesOfAnUpdate() {
        String t = table();
        dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("r"), "a", AttributeValue.fromM(Map.of("b", s("dog"),
                "c", l(n("1"), n("2"), n("3")))), "d", s("cat"))));
        UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(t).key(key("r")).returnValues(ReturnValue.UPDATED_OLD)
                .updateExpression("SET a.c[1] = :v, a.b = :w").expressionAttributeValues(Map.of(":v", n("8"), ":w", s("yo"))));
        assertEquals(Map.of("a", AttributeValue.fromM(Map.of("b", s("dog"), "c", l(n("2"))))), r.attributes());
        r = dynamo.updateItem(b -> b.tableName(t).key(key("r")).returnValues(ReturnValue.UPDATED_NEW)
                .updateExpression("SET a.c[1] = :v, a.b = :w").expressionAttributeValues(Map.of(":v", n("3"), ":w", s("hi"))));
        assertEquals(Map.of("a", AttributeValue.fromM(Map.of("b", s("hi"), "c", l(n("3"))))), r.attributes());
        r = dynamo.updateItem(b -> b.tableName(t).key(key("r")).returnValues(ReturnValue.UPDATED_OLD)
                .updateExpression("SET a.x1 = :v").expressionAttributeValues(Map.of(":v", n("8"))));
        assertFalse(r.hasAttributes(), "nothing was there before");
        r = dynamo.updateItem(b -> b.tableName(t).key(key("r")).returnValues(ReturnValue.ALL_OLD)
                .updateExpression("REMOVE d"));
        assertEquals(s("cat"), r.attributes().get("d"));
        assertEquals(n("8"), r.attributes().get("a").m().get("x1"));
        r = dynamo.updateItem(b -> b.tableName(t).key(key("r")).returnValues(ReturnValue.ALL_NEW)
                .updateExpression("SET e = :v").expressionAttributeValues(Map.of(":v", n("5"))));
        assertEquals(List.of("a", "e", "pk"), r.attributes().keySet().stream().sorted().toList());
        // Legacy AttributeUpdates return their top-level attributes.
        r = dynamo.updateItem(b -> b.tableName(t).key(key("r")).returnValues(ReturnValue.UPDATED_NEW)
                .attributeUpdates(Map.of("e", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(n("1")).build())));
        assertEquals(Map.of("e", n("6")), r.attributes());
        PutItemResponse p = dynamo.putItem(b -> b.tableName(t).item(key("r")).returnValues(ReturnValue.ALL_OLD));
        assertEquals(n("6"), p.attributes().get("e"));
    }

    @Test
    void itemCollectionMetricsForTablesWithLocalIndexes() {
        String t = uniqueName("lsi");
        dynamo.createTable(b -> b.tableName(t).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("x").attributeType(ScalarAttributeType.S))
                .localSecondaryIndexes(i -> i.indexName("byx").projection(pr -> pr.projectionType(ProjectionType.ALL))
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("x").keyType(KeyType.RANGE).build())));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(t));
        var metrics = dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("a"), "sk", s("1"), "x", s("q")))
                .returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)).itemCollectionMetrics();
        assertEquals(Map.of("pk", s("a")), metrics.itemCollectionKey());
        assertEquals(List.of(0.0, 1.0), metrics.sizeEstimateRangeGB());
        String plain = table();
        assertNull(dynamo.putItem(r -> r.tableName(plain).item(key("a"))
                .returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)).itemCollectionMetrics());
    }

    // --- legacy parameters ----------------------------------------------------------------------

    @Test
    void expectedAndConditionalOperator() {
        String t = table();
        dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("e"), "a", n("1"), "b", n("2")))
                .expected(Map.of("pk", ExpectedAttributeValue.builder().exists(false).build())));
        assertDynamoError(CONDITIONAL, "The conditional request failed", () -> dynamo.putItem(r -> r.tableName(t)
                .item(key("e")).expected(Map.of("pk", ExpectedAttributeValue.builder().exists(false).build()))));
        Map<String, ExpectedAttributeValue> either = Map.of(
                "a", ExpectedAttributeValue.builder().comparisonOperator(ComparisonOperator.GT).attributeValueList(n("5")).build(),
                "b", ExpectedAttributeValue.builder().comparisonOperator(ComparisonOperator.IN)
                        .attributeValueList(n("2"), n("3")).build());
        dynamo.updateItem(r -> r.tableName(t).key(key("e")).expected(either).conditionalOperator(ConditionalOperator.OR)
                .attributeUpdates(Map.of("c", AttributeValueUpdate.builder().action(AttributeAction.PUT).value(s("x")).build())));
        assertEquals(s("x"), get(t, "e").get("c"));
        assertDynamoError(CONDITIONAL, "The conditional request failed", () -> dynamo.updateItem(r -> r.tableName(t)
                .key(key("e")).expected(either).conditionalOperator(ConditionalOperator.AND)
                .attributeUpdates(Map.of("c", AttributeValueUpdate.builder().action(AttributeAction.PUT).value(s("y")).build()))));
        assertDynamoError(VALIDATION, "One or more parameter values were invalid: Value must be provided when Exists "
                + "is true for Attribute: a", () -> dynamo.putItem(r -> r.tableName(t).item(key("e"))
                .expected(Map.of("a", ExpectedAttributeValue.builder().exists(true).build()))));
        assertDynamoError(VALIDATION, "One or more parameter values were invalid: Invalid number of argument(s) for "
                + "the BETWEEN ComparisonOperator", () -> dynamo.putItem(r -> r.tableName(t).item(key("e"))
                .expected(Map.of("a", ExpectedAttributeValue.builder().comparisonOperator(ComparisonOperator.BETWEEN)
                        .attributeValueList(n("1")).build()))));
        assertDynamoError(VALIDATION, "One or more parameter values were invalid: ComparisonOperator LT is not valid "
                + "for SS AttributeValue type", () -> dynamo.deleteItem(r -> r.tableName(t).key(key("e"))
                .expected(Map.of("a", ExpectedAttributeValue.builder().comparisonOperator(ComparisonOperator.LT)
                        .attributeValueList(AttributeValue.fromSs(List.of("x"))).build()))));
        assertDynamoError(VALIDATION, "ConditionalOperator can only be used when Filter or Expected has two or more "
                + "elements", () -> dynamo.putItem(r -> r.tableName(t).item(key("e")).conditionalOperator("OR")
                .expected(Map.of("a", ExpectedAttributeValue.builder().value(n("1")).build()))));
        assertDynamoError(VALIDATION, "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to "
                + "satisfy constraint: Member must satisfy enum value set: [OR, AND]",
                () -> dynamo.putItem(r -> r.tableName(t).item(key("e")).conditionalOperator("XOR")));
        assertEquals(n("1"), get(t, "e").get("a"), "no failed request wrote anything");
    }

    @Test
    void expressionAndLegacyParametersDoNotMix() {
        String t = table();
        assertDynamoError(VALIDATION, "Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
                () -> dynamo.putItem(r -> r.tableName(t).item(key("x")).conditionExpression("attribute_exists(pk)")
                        .expected(Map.of("pk", ExpectedAttributeValue.builder().exists(false).build()))));
        assertDynamoError(VALIDATION, "Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, "
                + "ConditionExpression}", () -> dynamo.updateItem(r -> r.tableName(t).key(key("x"))
                .updateExpression("REMOVE a").conditionExpression("attribute_exists(pk)")
                .attributeUpdates(Map.of("b", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build()))
                .expected(Map.of("pk", ExpectedAttributeValue.builder().exists(false).build()))));
        assertDynamoError(VALIDATION, "Can not use both expression and non-expression parameters in the same request: "
                + "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
                () -> dynamo.getItem(r -> r.tableName(t).key(key("x")).projectionExpression("a").attributesToGet("a")));
        assertDynamoError(VALIDATION, "ExpressionAttributeNames can only be specified when using expressions",
                () -> dynamo.getItem(r -> r.tableName(t).key(key("x")).expressionAttributeNames(Map.of("#a", "a"))));
        assertDynamoError(VALIDATION, "ExpressionAttributeValues can only be specified when using expressions: "
                + "ConditionExpression is null", () -> dynamo.deleteItem(r -> r.tableName(t).key(key("x"))
                .expressionAttributeValues(Map.of(":v", n("1")))));
        assertDynamoError(VALIDATION, "ExpressionAttributeValues can only be specified when using expressions: "
                + "UpdateExpression and ConditionExpression are null", () -> dynamo.updateItem(r -> r.tableName(t)
                .key(key("x")).expressionAttributeValues(Map.of(":v", n("1")))));
    }

    // --- errors -------------------------------------------------------------------------------

    @Test
    void expressionErrors() {
        String t = table();
        assertDynamoError(VALIDATION, "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"= \"",
                () -> dynamo.putItem(r -> r.tableName(t).item(key("x")).conditionExpression("a = ")));
        assertDynamoError(VALIDATION, "Invalid UpdateExpression: Syntax error; token: \"+\", near: \":v + :v\"",
                () -> dynamo.updateItem(r -> r.tableName(t).key(key("x")).updateExpression("SET a = :v + :v + :v")
                        .expressionAttributeValues(Map.of(":v", n("1")))));
        assertDynamoError(VALIDATION, "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved "
                + "keyword: name", () -> dynamo.updateItem(r -> r.tableName(t).key(key("x"))
                .updateExpression("SET name = :v").expressionAttributeValues(Map.of(":v", n("1")))));
        assertDynamoError(VALIDATION, "Invalid UpdateExpression: An expression attribute value used in expression is "
                + "not defined; attribute value: :w", () -> dynamo.updateItem(r -> r.tableName(t).key(key("x"))
                .updateExpression("SET a = :w").expressionAttributeValues(Map.of(":v", n("1")))));
        assertDynamoError(VALIDATION, "Invalid ProjectionExpression: An expression attribute name used in the document "
                + "path is not defined; attribute name: #n", () -> dynamo.getItem(r -> r.tableName(t).key(key("x"))
                .projectionExpression("#n")));
        assertDynamoError(VALIDATION, "Invalid UpdateExpression: Incorrect operand type for operator or function; "
                + "operator: ADD, operand type: STRING", () -> dynamo.updateItem(r -> r.tableName(t).key(key("x"))
                .updateExpression("ADD a :v").expressionAttributeValues(Map.of(":v", s("1")))));
        assertDynamoError(VALIDATION, "Invalid UpdateExpression: Two document paths overlap with each other; must "
                + "remove or rewrite one of these paths; path one: [a], path two: [a, b]",
                () -> dynamo.updateItem(r -> r.tableName(t).key(key("x")).updateExpression("SET a = :v REMOVE a.b")
                        .expressionAttributeValues(Map.of(":v", n("1")))));
        assertDynamoError(VALIDATION, "Invalid UpdateExpression: Two document paths conflict with each other; must "
                + "remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]",
                () -> dynamo.updateItem(r -> r.tableName(t).key(key("x")).updateExpression("SET a.b = :v, a[1] = :v")
                        .expressionAttributeValues(Map.of(":v", n("1")))));
        assertDynamoError(VALIDATION, "Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
                + "expression;", () -> dynamo.updateItem(r -> r.tableName(t).key(key("x"))
                .updateExpression("SET a = :v SET b = :v").expressionAttributeValues(Map.of(":v", n("1")))));
        assertDynamoError(VALIDATION, "Invalid ConditionExpression: The expression can not be empty;",
                () -> dynamo.deleteItem(r -> r.tableName(t).key(key("x")).conditionExpression("")));
        assertDynamoError(VALIDATION, "Invalid ConditionExpression: Expression size has exceeded the maximum allowed "
                + "size; expression size: 4097", () -> dynamo.deleteItem(r -> r.tableName(t).key(key("x"))
                .conditionExpression("a".repeat(4097))));
        assertDynamoError(VALIDATION, "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be "
                + "greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: "
                + "AttributeValue: {N:1}", () -> dynamo.deleteItem(r -> r.tableName(t).key(key("x"))
                .conditionExpression("a BETWEEN :hi AND :lo").expressionAttributeValues(Map.of(":hi", n("2"), ":lo", n("1")))));
        assertNull(get(t, "x"), "no failed request wrote anything");
    }

    @Test
    void placeholderErrors() {
        String t = table();
        assertDynamoError(VALIDATION, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}",
                () -> dynamo.updateItem(r -> r.tableName(t).key(key("x")).updateExpression("SET a = :v")
                        .conditionExpression("attribute_not_exists(b)")
                        .expressionAttributeValues(Map.of(":v", n("1"), ":x", n("2")))));
        // A value used by either expression of the request counts as used.
        dynamo.updateItem(r -> r.tableName(t).key(key("x")).updateExpression("SET a = :v")
                .conditionExpression("attribute_not_exists(b) OR b = :x")
                .expressionAttributeValues(Map.of(":v", n("1"), ":x", n("2"))));
        assertDynamoError(VALIDATION, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}",
                () -> dynamo.getItem(r -> r.tableName(t).key(key("x")).projectionExpression("c")
                        .expressionAttributeNames(Map.of("#b", "b", "#a", "a"))));
        assertDynamoError(VALIDATION, "ExpressionAttributeNames must not be empty", () -> dynamo.getItem(r -> r
                .tableName(t).key(key("x")).projectionExpression("c").expressionAttributeNames(Map.of())));
        assertDynamoError(VALIDATION, "ExpressionAttributeValues must not be empty", () -> dynamo.putItem(r -> r
                .tableName(t).item(key("x")).conditionExpression("a = b").expressionAttributeValues(Map.of())));
        assertDynamoError(VALIDATION, "ExpressionAttributeNames contains invalid key: Syntax error; key: \"n\"",
                () -> dynamo.getItem(r -> r.tableName(t).key(key("x")).projectionExpression("c")
                        .expressionAttributeNames(Map.of("n", "c"))));
        assertDynamoError(VALIDATION, "ExpressionAttributeValues contains invalid value: One or more parameter values "
                + "were invalid: An number set  may not be empty for key :v", () -> dynamo.putItem(r -> r.tableName(t)
                .item(key("x")).conditionExpression("a = :v")
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromNs(List.of())))));
    }

    @Test
    void writesThatDynamoDbRefuses() {
        String t = createTable("keys", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        Map<String, AttributeValue> k = Map.of("pk", s("a"), "sk", n("1"));
        assertDynamoError(VALIDATION, "One or more parameter values were invalid: Cannot update attribute sk. This "
                + "attribute is part of the key", () -> dynamo.updateItem(r -> r.tableName(t).key(k)
                .updateExpression("SET sk = :v").expressionAttributeValues(Map.of(":v", n("2")))));
        assertDynamoError(VALIDATION, "One or more parameter values were invalid: Cannot update attribute pk. This "
                + "attribute is part of the key", () -> dynamo.updateItem(r -> r.tableName(t).key(k)
                .updateExpression("SET #p.x = :v").expressionAttributeNames(Map.of("#p", "pk"))
                .expressionAttributeValues(Map.of(":v", n("2")))));
        String big = "x".repeat(300_000);
        dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("a"), "sk", n("1"), "a", s(big))));
        assertDynamoError(VALIDATION, "Item size to update has exceeded the maximum allowed size",
                () -> dynamo.updateItem(r -> r.tableName(t).key(k).updateExpression("SET b = a")));
        assertDynamoError(VALIDATION, "Number overflow. Attempting to store a number with magnitude larger than "
                + "supported range", () -> dynamo.updateItem(r -> r.tableName(t).key(k)
                .updateExpression("SET n = :big + :big").expressionAttributeValues(Map.of(":big", n("9E125")))));
        // Arithmetic is exact: a sum needing 39 digits is refused, not rounded.
        assertDynamoError(VALIDATION, "DynamoDB only supports precision up to 38 digits",
                () -> dynamo.updateItem(r -> r.tableName(t).key(k).updateExpression("SET n = :a + :b")
                        .expressionAttributeValues(Map.of(":a", n("12345678901234567890123456789012345678"),
                                ":b", n("0.1")))));
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(t).key(k).consistentRead(true)).item();
        assertEquals(new HashMap<>(Map.of("pk", s("a"), "sk", n("1"), "a", s(big))), new HashMap<>(item),
                "no refused update wrote anything");
    }


    @Test
    void anUpdateMayNotNestDocumentsDeeperThan32Levels() {
        String table = createTable("nest", "pk", ScalarAttributeType.S, null, null);
        java.util.function.IntFunction<AttributeValue> nested = levels -> {
            AttributeValue v = AttributeValue.fromS("leaf");
            for (int i = 0; i < levels; i++) {
                v = AttributeValue.fromM(Map.of("x", v));
            }
            return v;
        };
        // 32 levels below a top-level attribute are allowed ...
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k"), "doc", nested.apply(32))));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k"), "doc", nested.apply(1))));
        // ... and SET doc.x = <32 levels> would make 33.
        assertDynamoError("ValidationException", "Nesting Levels have exceeded supported limits",
                () -> dynamo.updateItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("k")))
                        .updateExpression("SET doc.x = :v").expressionAttributeValues(Map.of(":v", nested.apply(32)))));
        assertEquals(nested.apply(1), dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("k")))).item().get("doc"), "the refused update wrote nothing");
    }
}
