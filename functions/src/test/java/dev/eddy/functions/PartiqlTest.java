package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementErrorCodeEnum;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.ExecuteTransactionResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ParameterizedStatement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PartiQL through the AWS SDK: ExecuteStatement's four statements with parameters, paging with
 * Limit and NextToken, ConsistentRead and ReturnValuesOnConditionCheckFailure, BatchExecuteStatement's
 * per-statement answers, and DynamoDB's error texts (taken from DynamoDB Local 2.6.1, which runs
 * DynamoDB's PartiQL translator).
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class PartiqlTest extends DynamoTestBase {

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    private ExecuteStatementResponse run(String statement, AttributeValue... parameters) {
        return dynamo.executeStatement(r -> r.statement(statement).parameters(parameters.length == 0 ? null
                : List.of(parameters)));
    }

    /** A table keyed by pk (S) and sk (N), with a global index on g, holding pk 'p' with sk 0 to 9. */
    private String musicTable() {
        String name = uniqueName("pql");
        dynamo.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build(),
                        AttributeDefinition.builder().attributeName("g").attributeType(ScalarAttributeType.S).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byG")
                        .keySchema(KeySchemaElement.builder().attributeName("g").keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        for (int i = 0; i < 10; i++) {
            run("INSERT INTO \"" + name + "\" VALUE {'pk': 'p', 'sk': ?, 'v': ?, 'g': 'x',"
                    + " 'm': {'tracks': ['a', {'deep': ?}]}}", n(Integer.toString(i)), n(Integer.toString(i * 10)), n("1"));
        }
        return name;
    }

    private static List<String> sortKeys(List<Map<String, AttributeValue>> items) {
        List<String> keys = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            keys.add(item.get("sk").n());
        }
        return keys;
    }

    @Test
    void selectReadsByKeyByPartitionOrByScanning() {
        String t = musicTable();
        List<Map<String, AttributeValue>> one = run("SELECT * FROM \"" + t + "\" WHERE pk = 'p' AND sk = 3").items();
        assertEquals(1, one.size());
        assertEquals(n("30"), one.get(0).get("v"));

        assertEquals(List.of("7", "8", "9"), sortKeys(run("SELECT * FROM \"" + t + "\" WHERE pk = ? AND sk > 6",
                s("p")).items()));
        assertEquals(List.of("6", "4", "2"), sortKeys(run("SELECT * FROM \"" + t + "\" WHERE pk = 'p'"
                + " AND sk BETWEEN 2 AND 6 AND v IN [20, 40, 60] ORDER BY sk DESC").items()));
        assertEquals(List.of("0", "1", "9"), sortKeys(run("SELECT sk FROM \"" + t + "\" WHERE v < 20 OR v >= 90"
                + " AND attribute_exists(m)").items().stream()
                .sorted((a, b) -> Integer.compare(Integer.parseInt(a.get("sk").n()), Integer.parseInt(b.get("sk").n())))
                .toList()));
        assertEquals(List.of(), run("SELECT * FROM \"" + t + "\" WHERE pk = 'p' AND sk = 3 AND v <> 30").items());

        // Nested paths come back flat, under their last name with the indexes after it.
        assertEquals(List.of(Map.of("deep", n("1"), "tracks[0]", s("a"), "v", n("50"))),
                run("SELECT m.tracks[1].deep, m.tracks[0], v FROM \"" + t + "\" WHERE pk = 'p' AND sk = 5").items());
    }

    @Test
    void insertUpdateAndDeleteWriteOneItemEach() {
        String t = createTable("pqlw", "id", ScalarAttributeType.S, null, null);
        String q = "\"" + t + "\"";
        run("INSERT INTO " + q + " VALUE {'id': ?, 'tags': <<'b', 'a'>>, 'n': -1.50, 'bin': ?, 'ok': true,"
                + " 'none': null, 'map': {'k': [1, 'two']}}", s("u1"), AttributeValue.fromB(SdkBytes.fromUtf8String("hi")));
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(t).key(Map.of("id", s("u1")))
                .consistentRead(true)).item();
        assertEquals(AttributeValue.fromSs(List.of("b", "a")), item.get("tags"));
        assertEquals(n("-1.5"), item.get("n"));
        assertEquals(AttributeValue.fromB(SdkBytes.fromUtf8String("hi")), item.get("bin"));
        assertEquals(AttributeValue.fromNul(true), item.get("none"));
        assertEquals(AttributeValue.fromL(List.of(n("1"), s("two"))), item.get("map").m().get("k"));

        assertDynamoError("DuplicateItemException", "Duplicate primary key exists in table",
                () -> run("INSERT INTO " + q + " VALUE {'id': 'u1'}"));

        ExecuteStatementResponse updated = run("UPDATE " + q + " SET n = n + 2 SET tags = set_add(tags, <<'c'>>)"
                + " REMOVE none WHERE id = 'u1' AND ok = true RETURNING ALL NEW *");
        Map<String, AttributeValue> after = updated.items().get(0);
        assertEquals(n("0.5"), after.get("n"));
        assertEquals(3, after.get("tags").ss().size());
        assertFalse(after.containsKey("none"));
        assertEquals(List.of(Map.of("n", n("0.5"))), run("UPDATE " + q + " SET n = n - ? WHERE id = 'u1'"
                + " RETURNING MODIFIED OLD *", n("1")).items());

        // UPDATE never creates an item, and a failed condition changes nothing.
        assertDynamoError("ConditionalCheckFailedException", "The conditional request failed",
                () -> run("UPDATE " + q + " SET n = 1 WHERE id = 'nobody'"));
        assertDynamoError("ConditionalCheckFailedException", "The conditional request failed",
                () -> run("UPDATE " + q + " SET n = 1 WHERE id = 'u1' AND ok = false"));

        assertEquals(List.of(), run("DELETE FROM " + q + " WHERE id = 'nobody' AND ok = true").items());
        assertEquals("u1", run("DELETE FROM " + q + " WHERE id = 'u1' RETURNING ALL OLD *").items().get(0)
                .get("id").s());
        assertEquals(List.of(), run("SELECT * FROM " + q + " WHERE id = 'u1'").items());
    }

    @Test
    void limitAndNextTokenPageThroughQueriesAndScans() {
        String t = musicTable();
        for (String statement : List.of("SELECT * FROM \"" + t + "\" WHERE pk = 'p' AND v >= 20",
                "SELECT * FROM \"" + t + "\" WHERE v >= 20")) {
            List<String> seen = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String from = token;
                ExecuteStatementResponse page = dynamo.executeStatement(r -> r.statement(statement).limit(3)
                        .nextToken(from));
                seen.addAll(sortKeys(page.items()));
                token = page.nextToken();
                pages++;
                if (token != null) {
                    assertNotNull(page.lastEvaluatedKey());
                }
            } while (token != null);
            // Limit counts items read, before the filter: 10 items, 3 a page.
            assertEquals(4, pages, statement);
            assertEquals(List.of("2", "3", "4", "5", "6", "7", "8", "9"), seen.stream().sorted().toList());
        }
        String token = dynamo.executeStatement(r -> r.statement("SELECT * FROM \"" + t + "\" WHERE pk = 'p'").limit(2))
                .nextToken();
        assertDynamoError("ValidationException", "NextToken does not match request",
                () -> dynamo.executeStatement(r -> r.statement("SELECT * FROM \"" + t + "\"").nextToken(token)));
        assertDynamoError("ValidationException", "Invalid NextToken",
                () -> dynamo.executeStatement(r -> r.statement("SELECT * FROM \"" + t + "\"").nextToken("%%%")));
    }

    @Test
    void consistentReadAndConsumedCapacity() {
        String t = musicTable();
        ExecuteStatementResponse r = dynamo.executeStatement(ExecuteStatementRequest.builder()
                .statement("SELECT * FROM \"" + t + "\" WHERE pk = 'p' AND sk = 1").consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        assertEquals(1, r.items().size());
        assertEquals(t, r.consumedCapacity().tableName());
        assertEquals(1.0, r.consumedCapacity().capacityUnits());
        assertDynamoError("ValidationException", "Strongly consistent read is not supported on Global Secondary Indexes",
                () -> dynamo.executeStatement(b -> b.statement("SELECT * FROM \"" + t + "\".\"byG\" WHERE g = 'x'")
                        .consistentRead(true)));
    }

    @Test
    void returnValuesOnConditionCheckFailureCarriesTheItem() {
        String t = musicTable();
        ConditionalCheckFailedException e = assertThrows(ConditionalCheckFailedException.class,
                () -> dynamo.executeStatement(r -> r.statement("UPDATE \"" + t + "\" SET v = 0"
                        + " WHERE pk = 'p' AND sk = 4 AND v = 99")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertEquals(n("40"), e.item().get("v"));
        ConditionalCheckFailedException noItem = assertThrows(ConditionalCheckFailedException.class,
                () -> run("DELETE FROM \"" + t + "\" WHERE pk = 'p' AND sk = 4 AND v = 99"));
        assertFalse(noItem.hasItem());
    }

    @Test
    void batchExecuteStatementAnswersEachStatementOnItsOwn() {
        String t = createTable("pqlb", "id", ScalarAttributeType.S, null, null);
        String q = "\"" + t + "\"";
        run("INSERT INTO " + q + " VALUE {'id': 'taken', 'v': 1}");
        BatchExecuteStatementResponse writes = dynamo.batchExecuteStatement(r -> r.statements(
                BatchStatementRequest.builder().statement("INSERT INTO " + q + " VALUE {'id': 'new'}").build(),
                BatchStatementRequest.builder().statement("INSERT INTO " + q + " VALUE {'id': 'taken'}").build(),
                BatchStatementRequest.builder().statement("UPDATE " + q + " SET v = 2 WHERE id = ? AND v = 5")
                        .parameters(s("other")).build(),
                BatchStatementRequest.builder().statement("DELETE FROM " + q + " WHERE v = 1").build(),
                BatchStatementRequest.builder().statement("UPDATE " + q + " SET v = 9 WHERE id = 'taken2' AND v = 5")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()));
        List<BatchStatementResponse> answers = writes.responses();
        assertEquals(5, answers.size());
        assertEquals(t, answers.get(0).tableName());
        assertNull(answers.get(0).error());
        assertEquals(BatchStatementErrorCodeEnum.DUPLICATE_ITEM, answers.get(1).error().code());
        assertEquals("Duplicate primary key exists in table", answers.get(1).error().message());
        assertEquals(t, answers.get(1).tableName());
        assertEquals(BatchStatementErrorCodeEnum.CONDITIONAL_CHECK_FAILED, answers.get(2).error().code());
        assertEquals(BatchStatementErrorCodeEnum.VALIDATION_ERROR, answers.get(3).error().code());
        assertEquals("Where clause does not contain a mandatory equality on all key attributes",
                answers.get(3).error().message());
        assertNull(answers.get(3).tableName());
        assertEquals(BatchStatementErrorCodeEnum.CONDITIONAL_CHECK_FAILED, answers.get(4).error().code());

        run("INSERT INTO " + q + " VALUE {'id': 'taken2', 'v': 3}");
        BatchStatementResponse failed = dynamo.batchExecuteStatement(r -> r.statements(BatchStatementRequest.builder()
                .statement("UPDATE " + q + " SET v = 9 WHERE id = 'taken2' AND v = 5")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()))
                .responses().get(0);
        assertEquals(n("3"), failed.error().item().get("v"));

        BatchExecuteStatementResponse reads = dynamo.batchExecuteStatement(r -> r.statements(
                BatchStatementRequest.builder().statement("SELECT v FROM " + q + " WHERE id = 'taken'")
                        .consistentRead(true).build(),
                BatchStatementRequest.builder().statement("SELECT * FROM " + q + " WHERE id = 'missing'").build(),
                BatchStatementRequest.builder().statement("SELECT * FROM " + q + " WHERE v = 1").build(),
                BatchStatementRequest.builder().statement("SELECT * FROM \"no-such-table\" WHERE id = 'a'").build()));
        assertEquals(Map.of("v", n("1")), reads.responses().get(0).item());
        assertFalse(reads.responses().get(1).hasItem());
        assertEquals(t, reads.responses().get(1).tableName());
        assertEquals("Only single item select is supported", reads.responses().get(2).error().message());
        assertEquals(BatchStatementErrorCodeEnum.RESOURCE_NOT_FOUND, reads.responses().get(3).error().code());
    }

    @Test
    void batchExecuteStatementRefusesWholeBatchesDynamoDbDoes() {
        String t = createTable("pqlr", "id", ScalarAttributeType.S, null, null);
        String q = "\"" + t + "\"";
        assertDynamoError("ValidationException", "Read and write requests together in the same batch is not supported.",
                () -> dynamo.batchExecuteStatement(r -> r.statements(
                        BatchStatementRequest.builder().statement("SELECT * FROM " + q + " WHERE id = 'a'").build(),
                        BatchStatementRequest.builder().statement("DELETE FROM " + q + " WHERE id = 'b'").build())));
        assertDynamoError("ValidationException", "Provided list of item keys contains duplicates",
                () -> dynamo.batchExecuteStatement(r -> r.statements(
                        BatchStatementRequest.builder().statement("INSERT INTO " + q + " VALUE {'id': 'a'}").build(),
                        BatchStatementRequest.builder().statement("DELETE FROM " + q + " WHERE id = 'a'").build())));
        List<BatchStatementRequest> many = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            many.add(BatchStatementRequest.builder().statement("SELECT * FROM " + q + " WHERE id = '" + i + "'").build());
        }
        assertDynamoError("ValidationException", "BatchGetItem cannot fetch more than 25 items",
                () -> dynamo.batchExecuteStatement(r -> r.statements(many)));
        assertDynamoError("ValidationException", "The statement was empty.",
                () -> dynamo.batchExecuteStatement(r -> r.statements(List.of())));
    }

    @Test
    void errorsReadAsDynamoDbWritesThem() {
        String t = createTable("pqle", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        String q = "\"" + t + "\"";
        assertDynamoError("ValidationException", "Statement wasn't well formed, can't be processed: SELEC * FROM " + q,
                () -> run("SELEC * FROM " + q));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found",
                () -> run("SELECT * FROM \"no-such-table\""));
        assertDynamoError("ValidationException", "Where clause does not contain a mandatory equality on all key attributes",
                () -> run("UPDATE " + q + " SET v = 1 WHERE pk = 'a'"));
        assertDynamoError("ValidationException", "Unexpected path component at 1:8:5",
                () -> run("SELECT COUNT(*) FROM " + q));
        assertDynamoError("ValidationException", "Key attribute's data type should match its data type in table's schema: "
                + "Key sk", () -> run("SELECT * FROM " + q + " WHERE pk = 'a' AND sk = ?", s("1")));
        assertDynamoError("ValidationException", "Number of parameters in request and statement don't match.",
                () -> run("SELECT * FROM " + q + " WHERE pk = ?"));
        // An error of the expression the statement became, without the "Invalid ...Expression: " prefix.
        assertDynamoError("ValidationException", "Two document paths overlap with each other; must remove or rewrite "
                + "one of these paths; path one: [v], path two: [v]",
                () -> run("UPDATE " + q + " SET v = 1, v = 2 WHERE pk = 'a' AND sk = 1"));
        assertDynamoError("ValidationException", "One or more parameter values were invalid: Cannot update attribute pk. "
                + "This attribute is part of the key", () -> run("UPDATE " + q + " SET pk = 'b' WHERE pk = 'a' AND sk = 1"));
        assertDynamoError("ValidationException", "1 validation error detected: Value '0' at 'limit' failed to satisfy "
                + "constraint: Member must have value greater than or equal to 1",
                () -> dynamo.executeStatement(r -> r.statement("SELECT * FROM " + q).limit(0)));
    }

    /**
     * ExecuteTransaction end to end, as the TransactWriteItems and TransactGetItems it runs as
     * (without them registered it answers a ValidationException saying so; the translation itself
     * is covered by TransactionTranslationTest).
     */
    @Test
    void executeTransactionWritesAllOrNothing() {
        String t = createTable("pqlt", "id", ScalarAttributeType.S, null, null);
        String q = "\"" + t + "\"";
        run("INSERT INTO " + q + " VALUE {'id': 'a', 'n': 1}");
        run("INSERT INTO " + q + " VALUE {'id': 'c', 'n': 1}");
        dynamo.executeTransaction(r -> r.transactStatements(
                ParameterizedStatement.builder().statement("INSERT INTO " + q + " VALUE {'id': 'b', 'n': 2}").build(),
                ParameterizedStatement.builder().statement("UPDATE " + q + " SET n = n + 1 WHERE id = ?")
                        .parameters(s("a")).build(),
                ParameterizedStatement.builder().statement("EXISTS(SELECT * FROM " + q + " WHERE id = 'c' AND n = 1)")
                        .build()));
        ExecuteTransactionResponse read = dynamo.executeTransaction(r -> r.transactStatements(
                ParameterizedStatement.builder().statement("SELECT n FROM " + q + " WHERE id = 'a'").build(),
                ParameterizedStatement.builder().statement("SELECT n FROM " + q + " WHERE id = 'b'").build()));
        assertEquals(Map.of("n", n("2")), read.responses().get(0).item());
        assertEquals(Map.of("n", n("2")), read.responses().get(1).item());

        TransactionCanceledException e = assertThrows(TransactionCanceledException.class,
                () -> dynamo.executeTransaction(r -> r.transactStatements(
                        ParameterizedStatement.builder().statement("DELETE FROM " + q + " WHERE id = 'b'").build(),
                        ParameterizedStatement.builder().statement("UPDATE " + q + " SET n = 0 WHERE id = 'a' AND n = 7")
                                .build())));
        assertEquals(2, e.cancellationReasons().size());
        assertEquals("ConditionalCheckFailed", e.cancellationReasons().get(1).code());
        assertEquals(1, run("SELECT * FROM " + q + " WHERE id = 'b'").items().size());
        assertTrue(run("SELECT * FROM " + q + " WHERE id = 'a' AND n = 2").hasItems());
    }
}
