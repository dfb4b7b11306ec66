package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A request held up past its time (eddy.requests.timeout) makes no change after it: the function
 * instance's Hot Rod client is stalled (its event loops held, as the fault suite saw one held for 25 s
 * in a network partition) while a write is in it, for longer than the request may take; once the
 * client moves again the request is answered ServiceUnavailable and the item was not changed. Without
 * the limit, each of these writes was made when the stall ended, long after its client could have
 * given up and read the item.
 */
@QuarkusTest
@TestProfile(RequestTimeoutTest.OneSecond.class)
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class RequestTimeoutTest extends DynamoTestBase {
    private static final long STALL_MILLIS = 2_500;

    public static class OneSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("eddy.requests.timeout", "PT1S");
        }
    }

    @Inject
    EddyRuntime runtime;

    private static Map<String, AttributeValue> item(String id) {
        return Map.of("id", AttributeValue.fromS(id), "v", AttributeValue.fromN("1"));
    }

    /** Sends {@code request} while the client's event loops are held for longer than a request may take. */
    private <T> T heldUp(Supplier<T> request) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        for (io.netty.channel.EventLoopGroup group : runtime.eddy().storage().clientEventLoops()) {
            group.forEach(loop -> loop.execute(() -> {
                held.countDown();
                try {
                    release.await(); // what the client sends or reads waits behind this
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        assertTrue(held.await(5, TimeUnit.SECONDS));
        CompletableFuture<T> answer = CompletableFuture.supplyAsync(request);
        Thread.sleep(STALL_MILLIS);
        assertFalse(answer.isDone(), "the request waits on the stalled client");
        release.countDown();
        try {
            return answer.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static void assertTimedOut(DynamoDbException e) {
        assertEquals(503, e.statusCode());
        assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains("within 1000 ms"), e.awsErrorDetails().errorMessage());
    }

    private boolean exists(String table, String id) throws InterruptedException {
        Thread.sleep(500); // anything still under way lands meanwhile
        return dynamo.getItem(g -> g.tableName(table).key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true))
                .hasItem();
    }

    @Test
    void aPutHeldUpPastItsTimeChangesNothing() throws Exception {
        String table = createTable("late", "id", ScalarAttributeType.S, null, null);
        DynamoDbException e = assertThrows(DynamoDbException.class,
                () -> heldUp(() -> dynamo.putItem(p -> p.tableName(table).item(item("a")))));
        assertTimedOut(e);
        assertFalse(exists(table, "a"), "the put was not made after its time");
        dynamo.putItem(p -> p.tableName(table).item(item("a")));
        assertTrue(exists(table, "a"), "the same put, on time, is made");
    }

    @Test
    void anUpdateHeldUpPastItsTimeChangesNothing() throws Exception {
        String table = createTable("late", "id", ScalarAttributeType.S, null, null);
        DynamoDbException e = assertThrows(DynamoDbException.class, () -> heldUp(() -> dynamo.updateItem(u -> u
                .tableName(table).key(Map.of("id", AttributeValue.fromS("b")))
                .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))))));
        assertTimedOut(e);
        assertFalse(exists(table, "b"));
    }

    @Test
    void aTransactionHeldUpPastItsTimeIsNotCommitted() throws Exception {
        String table = createTable("late", "id", ScalarAttributeType.S, null, null);
        DynamoDbException e = assertThrows(DynamoDbException.class, () -> heldUp(() -> dynamo.transactWriteItems(t -> t
                .transactItems(List.of(
                        TransactWriteItem.builder().put(Put.builder().tableName(table).item(item("c")).build()).build(),
                        TransactWriteItem.builder().put(Put.builder().tableName(table).item(item("d")).build()).build())))));
        assertTimedOut(e);
        assertFalse(exists(table, "c"));
        assertFalse(exists(table, "d"));
        // its locks were released: the items take a write at once
        dynamo.putItem(p -> p.tableName(table).item(item("c")));
        assertTrue(exists(table, "c"));
    }

    @Test
    void aBatchHeldUpPastItsTimeWritesNothing() throws Exception {
        String table = createTable("late", "id", ScalarAttributeType.S, null, null);
        DynamoDbException e = assertThrows(DynamoDbException.class, () -> heldUp(() -> dynamo.batchWriteItem(b -> b
                .requestItems(Map.of(table, List.of(
                        WriteRequest.builder().putRequest(PutRequest.builder().item(item("e")).build()).build(),
                        WriteRequest.builder().putRequest(PutRequest.builder().item(item("f")).build()).build()))))));
        assertTimedOut(e);
        assertFalse(exists(table, "e"));
        assertFalse(exists(table, "f"));
    }
}
