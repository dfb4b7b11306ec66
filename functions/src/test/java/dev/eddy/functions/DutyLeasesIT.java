package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Each background duty runs once per cluster (issue: background work at scale): three processes
 * over one cluster take each duty exactly once between them; when the holder of some is killed
 * (SIGKILL), another takes each of them over within seconds of its last heartbeat, and the work goes
 * on (an item whose Time to Live passes after the kill is deleted).
 */
class DutyLeasesIT {
    private static final List<String> DUTIES = List.of("outbox-sweeper", "upkeep-timers", "transaction-recovery",
            "statistics");
    private static final Pattern TOOK = Pattern.compile("Took duty (\\S+) \\(epoch (\\d+)\\)");
    private static final InfinispanCluster cluster = new InfinispanCluster();
    private static final List<AppProcess> apps = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        String servers = cluster.startNodes(2);
        Path work = Files.createTempDirectory("eddy-leases");
        for (int i = 0; i < 3; i++) {
            apps.add(AppProcess.start(work, Map.of("eddy.infinispan.servers", servers, "eddy.leases.duration", "PT3S",
                    "eddy.ttl.sweep-interval", "PT1S")));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AppProcess a : apps) {
            a.close();
        }
        cluster.stop();
    }

    /** Duty name to the epochs at which this process took it. */
    private static Map<String, List<Integer>> taken(AppProcess app) throws Exception {
        Map<String, List<Integer>> out = new java.util.HashMap<>();
        Matcher m = TOOK.matcher(app.output());
        while (m.find()) {
            out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
        }
        return out;
    }

    private static int holdersOf(String duty) throws Exception {
        int n = 0;
        for (AppProcess a : apps) {
            if (a.isAlive() && taken(a).containsKey(duty)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void eachDutyRunsOnceAndMovesWhenItsHolderIsKilled() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline && !allTaken()) {
            Thread.sleep(200);
        }
        Thread.sleep(3_000); // several more ticks: nobody else may take a held duty
        for (String duty : DUTIES) {
            assertEquals(1, holdersOf(duty), duty + " is held by exactly one of the three processes");
        }

        // Kill the holder of the upkeep timers (Time to Live), with an item about to expire.
        AppProcess holder = null;
        for (AppProcess a : apps) {
            if (taken(a).containsKey("upkeep-timers")) {
                holder = a;
            }
        }
        List<String> itsDuties = new ArrayList<>(taken(holder).keySet());
        AppProcess survivor = holder == apps.get(0) ? apps.get(1) : apps.get(0);
        String table = "Expiring";
        try (DynamoDbClient c = survivor.client()) {
            c.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
            c.waiter().waitUntilTableExists(r -> r.tableName(table));
            c.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(s -> s.enabled(true).attributeName("exp")));
            long soon = System.currentTimeMillis() / 1000 + 4;
            c.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("x"), "exp",
                    AttributeValue.fromN(Long.toString(soon)))));
        }
        long killedAt = System.currentTimeMillis();
        holder.kill();
        for (String duty : itsDuties) {
            long until = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < until && holdersOf(duty) == 0) {
                Thread.sleep(100);
            }
            assertEquals(1, holdersOf(duty), duty + " moved to exactly one survivor");
        }
        long movedAfter = System.currentTimeMillis() - killedAt;
        try (DynamoDbClient c = survivor.client()) {
            long until = System.currentTimeMillis() + 30_000;
            boolean gone = false;
            while (!gone && System.currentTimeMillis() < until) {
                gone = !c.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("x"))).consistentRead(true))
                        .hasItem();
                Thread.sleep(200);
            }
            assertTrue(gone, "Time to Live goes on after its holder died");
        }
        for (String duty : DUTIES) {
            assertEquals(1, holdersOf(duty), duty + " is held once after the takeover");
        }
        assertFalse(itsDuties.isEmpty());
        System.out.printf("duty leases: %s moved within %d ms of the kill%n", itsDuties, movedAfter);
    }

    private static boolean allTaken() throws Exception {
        for (String duty : DUTIES) {
            if (holdersOf(duty) == 0) {
                return false;
            }
        }
        return true;
    }
}
