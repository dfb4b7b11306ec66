package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BackupStatus;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * A backup's copy, and a restore, carry on where a killed process left them (issue 17, item 2):
 * two application processes over one cluster; the one that took the copy is killed (SIGKILL) once it
 * is under way, and the other finishes it from the position saved with the duty's lease; then the
 * same for a restore from that backup. The restored table holds exactly the table's items.
 */
class BackupRecoveryIT {
    private static final InfinispanCluster cluster = new InfinispanCluster();
    private static Map<String, String> config;
    private static Path work;
    private static final List<AppProcess> apps = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        String servers = cluster.startNodes(2);
        work = Files.createTempDirectory("eddy-backup-kill");
        // A dead process's leases are taken over three seconds after its last heartbeat.
        config = Map.of("eddy.infinispan.servers", servers, "eddy.leases.duration", "PT3S");
    }

    @AfterAll
    static void stop() throws Exception {
        closeApps();
        cluster.stop();
    }

    @AfterEach
    void closeAppsOfTheTest() throws Exception {
        closeApps();
    }

    private static void closeApps() throws Exception {
        for (AppProcess a : apps) {
            a.close();
        }
        apps.clear();
    }

    private static AppProcess app() throws Exception {
        AppProcess a = AppProcess.start(work, config);
        apps.add(a);
        return a;
    }

    private static void load(DynamoDbClient c, String table, int items) throws Exception {
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            // Some partitions large enough to be paged, most of one item.
            String pk = i % 10 == 0 ? "big" + (i % 3) : "p" + i;
            rows.add(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(Integer.toString(i)),
                    "v", AttributeValue.fromS("v".repeat(80))));
        }
        TableLoad.put(c, table, rows);
    }

    /** The process whose log says it took a duty of this kind, once one does. */
    private static AppProcess holderOf(String dutyPrefix, List<AppProcess> candidates) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            for (AppProcess p : candidates) {
                if (p.isAlive() && p.output().contains("Took duty " + dutyPrefix)) {
                    return p;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no process took a " + dutyPrefix + " duty");
    }

    @Test
    void aBackupAndARestoreKilledHalfWayAreFinishedByAnotherProcess() throws Exception {
        String table = "Archived";
        // Enough items that the copy and the restore are far from done when seen under way (the full form: 20 000).
        int items = Integer.getInteger("backup-recovery.items", 2_000);
        AppProcess a = app();
        AppProcess b = app();
        Map<String, Map<String, AttributeValue>> original;
        String arn;
        try (DynamoDbClient c = a.client()) {
            c.createTable(t -> t.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                    .attributeDefinitions(d -> d.attributeName("pk").attributeType(ScalarAttributeType.S),
                            d -> d.attributeName("sk").attributeType(ScalarAttributeType.N)));
            c.waiter().waitUntilTableExists(r -> r.tableName(table));
            load(c, table, items);
            original = BackupProbes.contents(c, table);
            assertEquals(items, original.size());
            arn = c.createBackup(r -> r.tableName(table).backupName("kill-me")).backupDetails().backupArn();
        }

        // The copy starts a second after the request (the backup's point): its holder is killed once it is
        // seen to have read a tenth of the table.
        AppProcess copier = holderOf("backup-copy:", List.of(a, b));
        copier.awaitMeter("eddy_backups_items_copied_total", items / 10.0);
        try (DynamoDbClient c = copier.client()) {
            assertEquals(BackupStatus.CREATING,
                    c.describeBackup(r -> r.backupArn(arn)).backupDescription().backupDetails().backupStatus(),
                    "the copy is still under way when its process is killed");
        }
        copier.kill();
        AppProcess survivor = copier == a ? b : a;
        AppProcess third = app();
        try (DynamoDbClient c = survivor.client()) {
            BackupProbes.awaitAvailable(c, arn);
            assertEquals((long) items, c.describeBackup(r -> r.backupArn(arn)).backupDescription().sourceTableDetails().itemCount());
        }
        assertTrue(Pattern.compile("Took duty backup-copy:\\S+ \\(epoch [2-9]").matcher(survivor.output() + third.output())
                .find(), "another process took the copy over from the dead one");

        String restored = "Unarchived";
        try (DynamoDbClient c = survivor.client()) {
            c.restoreTableFromBackup(r -> r.backupArn(arn).targetTableName(restored));
        }
        AppProcess restorer = holderOf("table-restore:", List.of(survivor, third));
        // Killed once it is seen to have loaded and saved its first batch of partitions (of many).
        restorer.awaitMeter("eddy_backups_items_restored_total", 1);
        try (DynamoDbClient c = restorer.client()) {
            assertEquals(TableStatus.CREATING, c.describeTable(r -> r.tableName(restored)).table().tableStatus(),
                    "the restore is still under way when its process is killed");
        }
        restorer.kill();
        AppProcess last = restorer == survivor ? third : survivor;
        try (DynamoDbClient c = last.client()) {
            BackupProbes.awaitRestored(c, restored);
            assertTrue(Pattern.compile("Took duty table-restore:\\S+ \\(epoch [2-9]").matcher(last.output()).find(),
                    "the other process took the restore over from the dead one");
            Map<String, Map<String, AttributeValue>> copy = BackupProbes.contents(c, restored);
            assertEquals(original.size(), copy.size());
            assertEquals(original, copy, "the restored table holds exactly the table's items");
        }
    }
}
