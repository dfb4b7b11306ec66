package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DeleteTable racing the requests still using the table (issue 17, item 8): a table's cache was
 * removed while a Scan was open on it, and the Scan answered 500 ({@code Cache ... is not ready},
 * then a broken Hot Rod channel). Every request that loses the race must get DynamoDB's
 * ResourceNotFoundException, and the connections must serve later requests.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class DeleteTableRaceTest extends DynamoTestBase {

    @Test
    void requestsRacingADeletionGetResourceNotFoundAndNothingElse() throws Exception {
        int lifecycles = Integer.getInteger("delete-race.lifecycles", 60);
        Set<String> unexpected = ConcurrentHashMap.newKeySet();
        AtomicInteger notFound = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<DynamoDbClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(client(endpoint.toURI()));
        }
        try {
            for (int round = 0; round < lifecycles; round++) {
                String table = uniqueName("race");
                dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                                a -> a.attributeName("sk").attributeType(ScalarAttributeType.N)));
                dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
                for (int i = 0; i < 40; i++) {
                    int n = i;
                    dynamo.putItem(r -> r.tableName(table).item(item(n)));
                }
                AtomicBoolean deleted = new AtomicBoolean();
                List<Future<?>> racers = new ArrayList<>();
                for (int t = 0; t < clients.size(); t++) {
                    DynamoDbClient c = clients.get(t);
                    int kind = t;
                    racers.add(pool.submit(() -> {
                        // Each racer keeps at its request until it has seen the table gone.
                        for (int attempt = 0; attempt < 10_000; attempt++) {
                            try {
                                race(c, table, kind);
                                served.incrementAndGet();
                                if (deleted.get() && attempt > 200) {
                                    return;
                                }
                            } catch (DynamoDbException e) {
                                if (e.statusCode() == 400 && "ResourceNotFoundException".equals(e.awsErrorDetails().errorCode())) {
                                    notFound.incrementAndGet();
                                    return;
                                }
                                unexpected.add(e.statusCode() + " " + e.awsErrorDetails().errorCode() + ": "
                                        + e.awsErrorDetails().errorMessage());
                            } catch (SdkClientException e) {
                                unexpected.add("client: " + e.getMessage());
                            }
                        }
                    }));
                }
                Thread.sleep(ThreadLocalRandom.current().nextInt(5, 40));
                DeleteTableResponse gone = dynamo.deleteTable(r -> r.tableName(table));
                deleted.set(true);
                assertEquals(TableStatus.DELETING, gone.tableDescription().tableStatus());
                for (Future<?> f : racers) {
                    f.get();
                }
            }
        } finally {
            pool.shutdownNow();
            clients.forEach(DynamoDbClient::close);
        }
        assertEquals(Set.of(), unexpected, "every request racing a deletion answers as DynamoDB does");
        assertTrue(notFound.get() > 0, "the races were run");
        // The same connections still serve requests.
        String after = createTable("after", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);
        dynamo.putItem(r -> r.tableName(after).item(item(1)));
        assertEquals(1, dynamo.scan(r -> r.tableName(after)).count());
        System.out.printf("delete race: %d lifecycles, %d requests served, %d not found%n", lifecycles, served.get(),
                notFound.get());
    }

    private static Map<String, AttributeValue> item(int n) {
        return Map.of("pk", AttributeValue.fromS("p" + n % 4), "sk", AttributeValue.fromN(Integer.toString(n)),
                "v", AttributeValue.fromS("x".repeat(200)));
    }

    /** One request of a racer's kind: Scans both ways, Queries, GetItem, PutItem, a batch write. */
    private static void race(DynamoDbClient c, String table, int kind) {
        switch (kind) {
            case 0 -> c.scan(r -> r.tableName(table).consistentRead(true).limit(7));
            case 1 -> c.scan(r -> r.tableName(table));
            case 2 -> c.query(r -> r.tableName(table).keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("p1"))));
            case 3 -> c.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("p2"),
                    "sk", AttributeValue.fromN("2"))).consistentRead(true));
            case 4 -> c.putItem(r -> r.tableName(table).item(item(ThreadLocalRandom.current().nextInt(100))));
            default -> c.describeTable(r -> r.tableName(table));
        }
    }

    @Test
    void deleteTableAnswersWithTheFieldsDynamoDbReturns() {
        String table = createTable("deleted", "pk", ScalarAttributeType.S, null, null);
        var d = dynamo.deleteTable(r -> r.tableName(table)).tableDescription();
        assertEquals(table, d.tableName());
        assertEquals(TableStatus.DELETING, d.tableStatus());
        assertNotNull(d.tableArn());
        assertNotNull(d.tableId());
        assertEquals(0L, d.itemCount());
        assertEquals(0L, d.tableSizeBytes());
        assertNotNull(d.provisionedThroughput());
        assertEquals(Boolean.FALSE, d.deletionProtectionEnabled());
        // What DescribeTable adds and DeleteTable leaves out.
        assertTrue(d.attributeDefinitions().isEmpty(), "no AttributeDefinitions");
        assertTrue(d.keySchema().isEmpty(), "no KeySchema");
        assertNull(d.creationDateTime(), "no CreationDateTime");
    }
}
