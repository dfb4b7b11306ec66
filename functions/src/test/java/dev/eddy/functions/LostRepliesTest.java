package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.core.encryption.Encryption;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.functions.faults.LostReplies;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Writes the cluster applied but whose reply it lost (the Hot Rod connections closed right after the
 * owners applied the write, as when the server that took it is killed), seen through the AWS SDK: the
 * Hot Rod client retries the compare-and-set, which finds the version moved by that very write. An
 * acknowledged ADD counts once, and a condition the first attempt met is not answered
 * ConditionalCheckFailed (issue 15).
 */
@QuarkusTest
@TestProfile(LostRepliesTest.TwoNodes.class)
class LostRepliesTest extends DynamoTestBase {

    /** Two nodes, owners = 2, and nothing else (no Kafka: no streams here). */
    public static class TwoNodes implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(InfinispanCluster.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final AttributeValue ONE = AttributeValue.fromN("1");

    /** A table and the lost replies of its cache, on every node. */
    private LostReplies tableWithLostReplies(String[] name) {
        name[0] = createTable("lost", "id", ScalarAttributeType.S, null, null);
        String tableId = dynamo.describeTable(r -> r.tableName(name[0])).table().tableId();
        return LostReplies.on(InfinispanCluster.running, Encryption.TABLE_CACHE_PREFIX + tableId);
    }

    /** The stored key of item {@code id}'s collection (a table's partition key is the root's key). */
    private static byte[] partition(String id) {
        return PrimaryKey.keyBytes(dev.eddy.core.model.AttributeValue.s(id));
    }

    private int count(String table, String id) {
        return Integer.parseInt(dynamo.getItem(r -> r.tableName(table).key(Map.of("id", AttributeValue.fromS(id)))
                .consistentRead(true)).item().get("n").n());
    }

    @Test
    void anAcknowledgedAddWhoseReplyWasLostCountsOnce() {
        String[] table = new String[1];
        LostReplies replies = tableWithLostReplies(table);
        dynamo.putItem(r -> r.tableName(table[0]).item(Map.of("id", AttributeValue.fromS("c"), "n", AttributeValue.fromN("0"))));
        int adds = 5;
        for (int i = 0; i < adds; i++) {
            replies.loseNextReplyFor(partition("c"));
            var updated = dynamo.updateItem(r -> r.tableName(table[0]).key(Map.of("id", AttributeValue.fromS("c")))
                    .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", ONE))
                    .returnValues(ReturnValue.UPDATED_NEW));
            assertEquals(Integer.toString(i + 1), updated.attributes().get("n").n(), "what UpdateItem answered");
        }
        assertEquals(adds, replies.lost(), "every ADD's reply was lost once");
        assertEquals(adds, count(table[0], "c"));
    }

    @Test
    void aConditionalUpdateWhoseFirstAttemptAppliedSucceeds() {
        String[] table = new String[1];
        LostReplies replies = tableWithLostReplies(table);
        dynamo.putItem(r -> r.tableName(table[0]).item(Map.of("id", AttributeValue.fromS("c"), "n", AttributeValue.fromN("0"))));
        replies.loseNextReplyFor(partition("c"));
        dynamo.updateItem(r -> r.tableName(table[0]).key(Map.of("id", AttributeValue.fromS("c")))
                .conditionExpression("n = :zero").updateExpression("SET n = :seven")
                .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"), ":seven", AttributeValue.fromN("7"))));
        assertEquals(1, replies.lost());
        assertEquals(7, count(table[0], "c"));
    }

    @Test
    void aConditionalCreateWhoseFirstAttemptAppliedSucceeds() {
        String[] table = new String[1];
        LostReplies replies = tableWithLostReplies(table);
        replies.loseNextReplyFor(partition("new"));
        dynamo.putItem(r -> r.tableName(table[0]).item(Map.of("id", AttributeValue.fromS("new"), "n", ONE))
                .conditionExpression("attribute_not_exists(id)"));
        assertEquals(1, replies.lost());
        assertTrue(dynamo.getItem(r -> r.tableName(table[0]).key(Map.of("id", AttributeValue.fromS("new")))
                .consistentRead(true)).hasItem());
    }
}
