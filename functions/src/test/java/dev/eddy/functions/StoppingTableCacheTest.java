package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.core.encryption.Encryption;
import dev.eddy.functions.faults.StoppingCache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A table's cache that stops with its node (a rolling restart, a cluster starting again) answers "not
 * ready" (ISPN005066), as a cache DeleteTable removes does. The table still exists: its requests are
 * answered 503, which clients retry, never ResourceNotFoundException, which tells an application its
 * table is gone (issue 15, fault scenario 2). {@link DeleteTableRaceTest} holds the other side: a
 * request racing DeleteTable is ResourceNotFound.
 */
@QuarkusTest
@TestProfile(LostRepliesTest.TwoNodes.class)
class StoppingTableCacheTest extends DynamoTestBase {

    @Test
    void aTablesCacheStoppingWithItsNodeIsUnavailableNotATableThatIsGone() {
        String table = createTable("stopping", "id", ScalarAttributeType.S, null, null);
        Map<String, AttributeValue> key = Map.of("id", AttributeValue.fromS("k"));
        dynamo.putItem(r -> r.tableName(table).item(key));
        String cacheName = Encryption.TABLE_CACHE_PREFIX + dynamo.describeTable(r -> r.tableName(table)).table().tableId();
        StoppingCache cache = StoppingCache.on(InfinispanCluster.running, cacheName);
        Map<String, String> answers = new TreeMap<>();
        cache.stop();
        try {
            answer(answers, "consistent GetItem", () -> dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true)));
            answer(answers, "GetItem of an item not near-cached",
                    () -> dynamo.getItem(r -> r.tableName(table).key(Map.of("id", AttributeValue.fromS("other")))));
            answer(answers, "PutItem", () -> dynamo.putItem(r -> r.tableName(table).item(Map.of("id", AttributeValue.fromS("new")))));
            answer(answers, "Query", () -> dynamo.query(r -> r.tableName(table).keyConditionExpression("id = :k")
                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS("k"))).consistentRead(true)));
        } finally {
            cache.start();
        }
        System.out.println("answers while the table's cache was not ready: " + answers);
        answers.forEach((request, answer) -> assertEquals("503 ServiceUnavailable", answer, request + ": " + answers));
        assertTrue(dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true)).hasItem(), "served again");
    }

    private static void answer(Map<String, String> answers, String request, Runnable call) {
        try {
            call.run();
            answers.put(request, "served");
        } catch (DynamoDbException e) {
            answers.put(request, e.statusCode() + " " + e.awsErrorDetails().errorCode());
        }
    }
}
