package dev.eddy.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In the embedded default, strongly consistent reads are answered by the Infinispan node in the
 * process itself, not over Hot Rod on loopback (issue 18): they must stay what they were. Each
 * thread's consistent read sees its own acknowledged increment (read your writes, under concurrent
 * compare-and-set writers whose retries take their versions from these reads), the counter ends
 * exact, conditions are decided on the current item, and a deleted table is gone and a table created
 * again under its name starts empty. (Reads of the node's store after a kill -9 are RestartDurabilityIT's,
 * whose consistent reads are answered the same way.)
 */
class LocalReadsIT {
    private static final int THREADS = 4;
    private static final int INCREMENTS = 50;

    @Test
    void strongReadsAnsweredInProcessStayStrong() throws Exception {
        Path work = Files.createTempDirectory("eddy-local-reads");
        Map<String, String> config = new HashMap<>(LocalApp.embeddedPorts());
        config.put("eddy.data-dir", work.resolve("data").toString());
        try (LocalApp app = LocalApp.start(work, config); DynamoDbClient client = app.client()) {
            createTable(client, "Counters");
            long before = localReads(app);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    try (DynamoDbClient c = app.client()) {
                        for (int i = 0; i < INCREMENTS; i++) {
                            long after = Long.parseLong(c.updateItem(r -> r.tableName("Counters").key(key("hot"))
                                    .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", number(1)))
                                    .returnValues(ReturnValue.UPDATED_NEW)).attributes().get("n").n());
                            long seen = Long.parseLong(c.getItem(r -> r.tableName("Counters").key(key("hot"))
                                    .consistentRead(true)).item().get("n").n());
                            assertTrue(seen >= after, "a consistent read after an acknowledged increment to " + after
                                    + " saw " + seen);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertEquals(Integer.toString(THREADS * INCREMENTS), consistent(client, "Counters", "hot").get("n").n());
            assertTrue(localReads(app) - before >= THREADS * INCREMENTS,
                    "the consistent reads were answered by the node in the process");

            assertThrows(ConditionalCheckFailedException.class, () -> client.putItem(r -> r.tableName("Counters")
                    .item(Map.of("id", AttributeValue.fromS("hot"))).conditionExpression("attribute_not_exists(id)")));
            client.putItem(r -> r.tableName("Counters").item(Map.of("id", AttributeValue.fromS("hot"), "n", number(7)))
                    .conditionExpression("n = :n").expressionAttributeValues(Map.of(":n", number(THREADS * INCREMENTS))));
            assertEquals("7", consistent(client, "Counters", "hot").get("n").n());

            client.deleteTable(r -> r.tableName("Counters"));
            awaitGone(client, "Counters");
            assertThrows(ResourceNotFoundException.class, () -> consistent(client, "Counters", "hot"));
            createTable(client, "Counters");
            assertFalse(client.getItem(r -> r.tableName("Counters").key(key("hot")).consistentRead(true)).hasItem(),
                    "a table created again under the name starts empty");
        }
    }

    private static void createTable(DynamoDbClient client, String table) throws InterruptedException {
        client.createTable(r -> r.tableName(table).attributeDefinitions(d -> d.attributeName("id")
                        .attributeType(ScalarAttributeType.S)).keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .billingMode("PAY_PER_REQUEST"));
        client.waiter().waitUntilTableExists(r -> r.tableName(table));
    }

    private static void awaitGone(DynamoDbClient client, String table) {
        client.waiter().waitUntilTableNotExists(r -> r.tableName(table));
    }

    private static Map<String, AttributeValue> consistent(DynamoDbClient client, String table, String id) {
        return client.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true)).item();
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }

    /** The app's count of consistent reads its own node answered, from its metrics. */
    private static long localReads(LocalApp app) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(app.endpoint() + "/q/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^eddy_storage_local_reads(?:\\{[^}]*\\})? ([0-9.E+]+)").matcher(metrics.body());
        assertTrue(m.find(), "the metrics name the local reads: " + metrics.body().lines()
                .filter(l -> l.startsWith("eddy_storage")).toList());
        return (long) Double.parseDouble(m.group(1));
    }
}
