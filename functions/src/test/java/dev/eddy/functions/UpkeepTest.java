package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.core.outbox.PendingPages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Background work costs the changes, not the data (issue: background work at scale): a table
 * nobody writes costs the maintenance duties no request to its cache, Time to Live enabled on a
 * table with items finds them through the expiry index it builds, and a deleted table leaves no
 * topic, cache or data folder behind once its stream's retention is over.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaBroker.class, restrictToAnnotatedClass = false)
class UpkeepTest extends DynamoTestBase {
    @Inject
    EddyRuntime runtime;

    private static void eventually(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what);
            }
            Thread.sleep(100);
        }
    }

    private String indexedStreamedTableWithTtl() {
        String name = uniqueName("idle");
        dynamo.createTable(b -> b.tableName(name).billingMode("PAY_PER_REQUEST")
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("g").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byG")
                        .keySchema(KeySchemaElement.builder().attributeName("g").keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        dynamo.updateTimeToLive(r -> r.tableName(name).timeToLiveSpecification(s -> s.enabled(true).attributeName("ttl")));
        return name;
    }

    /**
     * What an idle cache may cost the duties in a window: each entry they look at through the near
     * cache is read from the servers once per near-cache age at most (the bound on a missed
     * invalidation, `eddy.near-cache.max-age`), and a duty looks at no more than this many entries
     * of one cache when nothing changes (a table's upkeep and expiry queue roots; a shared cache's
     * change marker). A duty that read the servers each pass (every 0.5 s here) would cost 8 in 4 s.
     */
    private static final int ENTRIES_A_DUTY_LOOKS_AT = 2;

    private long idleAllowance(long windowMillis) {
        long age = runtime.eddy().storage().config().nearCacheMaxAgeMillis();
        return age <= 0 ? 0 : ENTRIES_A_DUTY_LOOKS_AT * ((windowMillis + age - 1) / age);
    }

    private long pendingPages() {
        long[] n = {0};
        runtime.eddy().storage().strong(PendingPages.CACHE).forEachEntry((k, v) -> n[0]++);
        return n[0];
    }

    @Test
    void aTableNobodyWritesCostsTheDutiesNoRequestPerPassToItsCache() throws Exception {
        String table = indexedStreamedTableWithTtl();
        long later = System.currentTimeMillis() / 1000 + 3600;
        for (int i = 0; i < 50; i++) {
            int n = i;
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("k" + n),
                    "g", AttributeValue.fromS("g" + n % 5), "ttl", AttributeValue.fromN(Long.toString(later)))));
        }
        // Once the writes are carried out and this process has left their pages...
        eventually("pending pages tidied", () -> pendingPages() == 0);
        Thread.sleep(1_000);
        String cache = runtime.eddy().catalog().find(table).cacheName();
        long before = runtime.eddy().storage().serverRequests(cache);
        // ...several passes of every duty (sweeps every 0.5 s here) send nothing for the table.
        Thread.sleep(4_000);
        long spent = runtime.eddy().storage().serverRequests(cache) - before;
        assertTrue(spent <= idleAllowance(4_000), "requests to an idle table's cache while the duties ran: " + spent
                + " (at most " + idleAllowance(4_000) + ": one per entry looked at per near-cache age)");
        assertTrue(runtime.eddy().maintenance().heldDuties().containsAll(
                Set.of("outbox-sweeper", "upkeep-timers", "transaction-recovery", "statistics")),
                "this process runs the duties: " + runtime.eddy().maintenance().heldDuties());
    }

    /**
     * Idle upkeep does not grow with the duties' passes: tables that were never written, or whose
     * timers all ran, cost the duties no request per pass to their caches or to the statistics cache,
     * only the near cache's re-read of the entries they look at once per its maximum age (a near
     * cache holds no absence, so a duty that looks for an entry that is not there pays a request
     * each pass; the upkeep queue keeps an empty root and the recount duty looks at one marker).
     */
    @Test
    void idleTablesCostTheDutiesNoRequestPerPass() throws Exception {
        List<String> caches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String table = createTable("quiet", "pk", ScalarAttributeType.S, null, null);
            if (i % 2 == 1) {
                // a timer that comes due and is handled: its queue empties again
                long past = System.currentTimeMillis() / 1000 - 10;
                dynamo.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(s -> s.enabled(true).attributeName("ttl")));
                dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("gone"),
                        "ttl", AttributeValue.fromN(Long.toString(past)))));
                eventually("the expired item is deleted", () -> !dynamo.getItem(r -> r.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS("gone"))).consistentRead(true)).hasItem());
            }
            dynamo.describeTable(r -> r.tableName(table)); // asks for a recount, as a user's DescribeTable does
            caches.add(runtime.eddy().catalog().find(table).cacheName());
        }
        eventually("pending pages tidied", () -> pendingPages() == 0);
        Thread.sleep(3_000); // the recount asked for, and the first passes that create what stays
        Map<String, Long> before = runtime.eddy().storage().serverRequestsByCache();
        Thread.sleep(4_000); // several passes of every duty (every 0.5-1 s here)
        Map<String, Long> after = runtime.eddy().storage().serverRequestsByCache();
        for (String cache : caches) {
            long spent = after.getOrDefault(cache, 0L) - before.getOrDefault(cache, 0L);
            assertTrue(spent <= idleAllowance(4_000), "requests to the idle table cache " + cache
                    + " while the duties ran: " + spent + " (at most " + idleAllowance(4_000) + "): " + after);
        }
        for (String shared : List.of(dev.eddy.core.storage.TableStatistics.CACHE, dev.eddy.core.table.TableCatalog.CACHE)) {
            long spent = after.getOrDefault(shared, 0L) - before.getOrDefault(shared, 0L);
            assertTrue(spent <= idleAllowance(4_000), "requests to " + shared + " while nothing changed: " + spent
                    + " (at most " + idleAllowance(4_000) + "): before " + before + ", after " + after);
        }
        System.out.println("idle upkeep requests in 4 s: before " + before + ", after " + after);
    }

    @Test
    void timeToLiveEnabledOnATableWithItemsExpiresThemFromTheIndexItBuilds() throws Exception {
        String table = createTable("ttl-late", "pk", ScalarAttributeType.S, null, null);
        long now = System.currentTimeMillis() / 1000;
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("old"),
                "exp", AttributeValue.fromN(Long.toString(now - 60)))));
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("young"),
                "exp", AttributeValue.fromN(Long.toString(now + 3600)))));
        dynamo.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(s -> s.enabled(true).attributeName("exp")));
        eventually("the item expired before TTL was enabled is deleted", () -> !dynamo.getItem(r -> r.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("old"))).consistentRead(true)).hasItem());
        assertTrue(dynamo.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("young")))
                .consistentRead(true)).hasItem());
        eventually("indexing done", () -> !runtime.eddy().catalog().findConsistent(table).isTimeToLiveIndexing());
    }

    @Test
    void deletedTablesLeaveNoTopicCacheOrDataFolderBehind() throws Exception {
        List<String> tables = new ArrayList<>();
        List<String> caches = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String t = indexedStreamedTableWithTtl();
            dynamo.putItem(r -> r.tableName(t).item(Map.of("pk", AttributeValue.fromS("a"), "g", AttributeValue.fromS("x"))));
            var definition = runtime.eddy().catalog().find(t);
            caches.add(definition.cacheName());
            topics.add(dev.eddy.core.stream.StreamTopics.topic(definition));
            tables.add(t);
        }
        eventually("stream topics exist", () -> existingTopics().containsAll(topics));
        assertFalse(leftovers(caches).isEmpty(), "the caches keep data folders on the nodes");
        for (String t : tables) {
            dynamo.deleteTable(r -> r.tableName(t));
        }
        // The test profile keeps a deleted table's stream readable for a second (DynamoDB: 24 hours).
        eventually("topics of deleted tables are deleted after the retention",
                () -> existingTopics().stream().noneMatch(topics::contains));
        for (String c : caches) {
            // A deleted table's cache goes a few seconds after the table (TableLifecycle.CACHE_REMOVAL_DELAY_MILLIS).
            eventually("cache " + c + " removed", () -> !runtime.eddy().storage().cacheExists(c));
        }
        try {
            eventually("no data folder of a deleted table's cache is left on a node", () -> leftovers(caches).isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + leftovers(caches));
        }
    }

    private Set<String> existingTopics() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Files and folders on the test cluster's nodes named after one of the caches. */
    private static List<Path> leftovers(List<String> caches) {
        while (true) {
            try (Stream<Path> all = Files.walk(InfinispanCluster.dataRoot)) {
                return all.filter(p -> caches.stream().anyMatch(c -> p.getFileName().toString().contains(c))).toList();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
                    throw e;
                }
                // a node removed a file while the walk passed it: look again
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
