package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TransactWriteItems and TransactGetItems through the AWS SDK: all or nothing, reasons, tokens, isolation under load. */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class TransactionsTest extends DynamoTestBase {

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("pk", s(id));
    }

    private Map<String, AttributeValue> get(String table, String id) {
        return dynamo.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true)).item();
    }

    private static TransactWriteItem put(String table, Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build();
    }

    private static TransactWriteItem add(String table, String id, long amount, String condition) {
        return TransactWriteItem.builder().update(u -> {
            u.tableName(table).key(key(id)).updateExpression("ADD balance :a")
                    .expressionAttributeValues(Map.of(":a", n(amount)));
            if (condition != null) {
                u.conditionExpression(condition).expressionAttributeValues(Map.of(":a", n(amount), ":min", n(-amount)));
            }
        }).build();
    }

    @Test
    void allActionsApplyTogetherAcrossTables() {
        String a = createTable("txa", "pk", ScalarAttributeType.S, null, null);
        String b = createTable("txb", "pk", ScalarAttributeType.S, null, null);
        dynamo.putItem(r -> r.tableName(a).item(Map.of("pk", s("gone"))));
        dynamo.putItem(r -> r.tableName(b).item(Map.of("pk", s("counter"), "balance", n(1))));
        dynamo.putItem(r -> r.tableName(b).item(Map.of("pk", s("guard"), "open", AttributeValue.fromBool(true))));
        dynamo.transactWriteItems(r -> r.transactItems(
                put(a, Map.of("pk", s("new"), "v", s("x"))),
                add(b, "counter", 5, null),
                TransactWriteItem.builder().delete(d -> d.tableName(a).key(key("gone"))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(b).key(key("guard"))
                        .conditionExpression("#o = :t").expressionAttributeNames(Map.of("#o", "open"))
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true)))).build()));
        assertEquals(s("x"), get(a, "new").get("v"));
        assertEquals(n(6), get(b, "counter").get("balance"));
        assertTrue(get(a, "gone").isEmpty());

        var read = dynamo.transactGetItems(r -> r.transactItems(
                TransactGetItem.builder().get(g -> g.tableName(a).key(key("new"))).build(),
                TransactGetItem.builder().get(g -> g.tableName(a).key(key("gone"))).build(),
                TransactGetItem.builder().get(g -> g.tableName(b).key(key("counter")).projectionExpression("balance")).build()));
        assertEquals(s("x"), read.responses().get(0).item().get("v"));
        assertFalse(read.responses().get(1).hasItem());
        assertEquals(Map.of("balance", n(6)), read.responses().get(2).item());
    }

    @Test
    void aFailedConditionCancelsEverythingWithReasonsInOrder() {
        String t = createTable("txc", "pk", ScalarAttributeType.S, null, null);
        dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("poor"), "balance", n(3))));
        TransactionCanceledException e = assertThrows(TransactionCanceledException.class, () -> dynamo.transactWriteItems(r -> r
                .transactItems(put(t, Map.of("pk", s("other"))),
                        TransactWriteItem.builder().update(u -> u.tableName(t).key(key("poor"))
                                .updateExpression("ADD balance :a").conditionExpression("balance >= :need")
                                .expressionAttributeValues(Map.of(":a", n(-10), ":need", n(10)))
                                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build())));
        assertEquals(400, e.statusCode());
        assertEquals("Transaction cancelled, please refer cancellation reasons for specific reasons "
                + "[None, ConditionalCheckFailed]", e.awsErrorDetails().errorMessage());
        List<CancellationReason> reasons = e.cancellationReasons();
        assertEquals("None", reasons.get(0).code());
        assertEquals("ConditionalCheckFailed", reasons.get(1).code());
        assertEquals("The conditional request failed", reasons.get(1).message());
        assertEquals(n(3), reasons.get(1).item().get("balance"));
        assertTrue(get(t, "other").isEmpty(), "nothing of a cancelled transaction is applied");
        assertEquals(n(3), get(t, "poor").get("balance"));
        // The locks of the cancelled transaction are gone: a plain write goes through.
        dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("other"))));

        assertDynamoError("ValidationException", "Transaction request cannot include multiple operations on one item",
                () -> dynamo.transactWriteItems(r -> r.transactItems(put(t, Map.of("pk", s("x"))),
                        TransactWriteItem.builder().delete(d -> d.tableName(t).key(key("x"))).build())));
    }

    @Test
    void aClientRequestTokenAppliesOnceAndRefusesAnotherRequest() {
        String t = createTable("txt", "pk", ScalarAttributeType.S, null, null);
        dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("c"), "balance", n(0))));
        for (int i = 0; i < 3; i++) {
            dynamo.transactWriteItems(r -> r.clientRequestToken("token-1").transactItems(add(t, "c", 1, null)));
        }
        assertEquals(n(1), get(t, "c").get("balance"), "the same request under one token is applied once");
        assertDynamoError("IdempotentParameterMismatchException", null, () -> dynamo.transactWriteItems(r -> r
                .clientRequestToken("token-1").transactItems(add(t, "c", 2, null))));
    }

    /**
     * Money moves between accounts by concurrent transactions while single-item writes touch the
     * same items and TransactGetItems reads them all: every snapshot adds up to the same total.
     */
    @Test
    void concurrentTransfersKeepTheTotalAtEveryRead() throws Exception {
        String t = createTable("bank", "pk", ScalarAttributeType.S, null, null);
        int accounts = 5;
        for (int i = 0; i < accounts; i++) {
            int id = i;
            dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", s("acct" + id), "balance", n(100))));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger transfers = new AtomicInteger();
        AtomicInteger snapshots = new AtomicInteger();
        List<String> badTotals = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(11);
        List<Future<?>> movers = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            int seed = w;
            movers.add(pool.submit(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < 150; i++) {
                    String from = "acct" + random.nextInt(accounts);
                    String to = "acct" + random.nextInt(accounts);
                    if (from.equals(to)) {
                        continue;
                    }
                    long amount = 1 + random.nextInt(10);
                    try {
                        dynamo.transactWriteItems(r -> r.transactItems(add(t, from, -amount, "balance >= :a OR balance >= :min"),
                                add(t, to, amount, null)));
                        transfers.incrementAndGet();
                    } catch (TransactionCanceledException cancelled) {
                        // a conflict or not enough money: nothing moved
                    }
                }
                return null;
            }));
        }
        List<Future<?>> others = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            others.add(pool.submit(() -> {
                while (running.get()) {
                    try {
                        var read = dynamo.transactGetItems(q -> q.transactItems(java.util.stream.IntStream.range(0, accounts)
                                .mapToObj(i -> TransactGetItem.builder().get(g -> g.tableName(t).key(key("acct" + i))).build())
                                .toList()));
                        long total = read.responses().stream().mapToLong(x -> Long.parseLong(x.item().get("balance").n())).sum();
                        snapshots.incrementAndGet();
                        if (total != 100L * accounts) {
                            badTotals.add(Long.toString(total));
                        }
                    } catch (TransactionCanceledException busy) {
                        // an account was held by a transaction in flight
                    }
                }
                return null;
            }));
        }
        others.add(pool.submit(() -> {
            Random random = new Random(99);
            while (running.get()) {
                String id = "acct" + random.nextInt(accounts);
                try {
                    dynamo.updateItem(r -> r.tableName(t).key(key(id)).updateExpression("ADD touched :one")
                            .expressionAttributeValues(Map.of(":one", n(1))));
                } catch (DynamoDbException held) {
                    assertEquals("TransactionConflictException", held.awsErrorDetails().errorCode());
                }
            }
            return null;
        }));
        for (Future<?> f : movers) {
            f.get();
        }
        running.set(false);
        for (Future<?> f : others) {
            f.get();
        }
        pool.shutdown();
        long total = 0;
        for (int i = 0; i < accounts; i++) {
            total += Long.parseLong(get(t, "acct" + i).get("balance").n());
        }
        assertEquals(100L * accounts, total);
        assertTrue(badTotals.isEmpty(), "snapshots with another total: " + badTotals);
        assertTrue(transfers.get() > 0, "some transfers went through");
        System.out.printf("transfers: %d committed, %d consistent snapshots read%n", transfers.get(), snapshots.get());
    }
}
