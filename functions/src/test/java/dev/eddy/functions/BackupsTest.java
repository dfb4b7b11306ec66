package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BackupDescription;
import software.amazon.awssdk.services.dynamodb.model.BackupDetails;
import software.amazon.awssdk.services.dynamodb.model.BackupStatus;
import software.amazon.awssdk.services.dynamodb.model.BackupSummary;
import software.amazon.awssdk.services.dynamodb.model.BackupType;
import software.amazon.awssdk.services.dynamodb.model.BackupTypeFilter;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListBackupsResponse;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On-demand backups through the AWS SDK (issue 17, item 2): CreateBackup, DescribeBackup,
 * ListBackups, DeleteBackup and RestoreTableFromBackup, their statuses and errors, a restored
 * table's indexes, and a backup outliving its table.
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class BackupsTest extends DynamoTestBase {

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    /** A table with a sort key, a local index on "rank" and a global one on "color", and items in 5 partitions. */
    private String indexedTable(int items) {
        String name = uniqueName("backed");
        dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.N),
                        a -> a.attributeName("rank").attributeType(ScalarAttributeType.N),
                        a -> a.attributeName("color").attributeType(ScalarAttributeType.S))
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("byRank")
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("rank").keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byColor")
                        .keySchema(KeySchemaElement.builder().attributeName("color").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build())
                .streamSpecification(x -> x.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        for (int i = 0; i < items; i++) {
            Map<String, AttributeValue> item = item(i);
            dynamo.putItem(r -> r.tableName(name).item(item));
        }
        return name;
    }

    static Map<String, AttributeValue> item(int i) {
        return Map.of("pk", s("p" + i % 5), "sk", n(i), "rank", n(1000 - i), "color", s("c" + i % 3),
                "payload", s("x".repeat(100 + i % 50)));
    }

    Map<String, Map<String, AttributeValue>> contents(String table) {
        return BackupProbes.contents(dynamo, table);
    }

    BackupDetails awaitAvailable(String arn) throws InterruptedException {
        return BackupProbes.awaitAvailable(dynamo, arn);
    }

    TableDescription awaitRestored(String table) throws InterruptedException {
        return BackupProbes.awaitRestored(dynamo, table);
    }

    @Test
    void aBackupIsCreatingThenAvailableAndDescribesItsTable() throws Exception {
        String table = indexedTable(40);
        TableDescription source = dynamo.describeTable(r -> r.tableName(table)).table();
        Instant before = Instant.now();
        BackupDetails created = dynamo.createBackup(r -> r.tableName(table).backupName("nightly")).backupDetails();
        assertEquals(BackupStatus.CREATING, created.backupStatus());
        assertEquals(BackupType.USER, created.backupType());
        assertEquals("nightly", created.backupName());
        assertTrue(created.backupArn().startsWith(source.tableArn() + "/backup/"), created.backupArn());
        assertTrue(created.backupArn().matches(".*/backup/\\d{14}-[0-9a-f]{8}"), created.backupArn());
        assertFalse(created.backupCreationDateTime().isBefore(before.minusSeconds(1)));

        BackupDetails available = awaitAvailable(created.backupArn());
        assertEquals(created.backupCreationDateTime(), available.backupCreationDateTime());
        assertTrue(available.backupSizeBytes() > 40 * 100, "size " + available.backupSizeBytes());
        BackupDescription d = dynamo.describeBackup(r -> r.backupArn(created.backupArn())).backupDescription();
        assertEquals(table, d.sourceTableDetails().tableName());
        assertEquals(source.tableId(), d.sourceTableDetails().tableId());
        assertEquals(source.tableArn(), d.sourceTableDetails().tableArn());
        assertEquals(source.keySchema(), d.sourceTableDetails().keySchema());
        assertEquals(40L, d.sourceTableDetails().itemCount());
        assertEquals(BillingMode.PAY_PER_REQUEST, d.sourceTableDetails().billingMode());
        assertEquals(source.creationDateTime(), d.sourceTableDetails().tableCreationDateTime());
        assertEquals("byRank", d.sourceTableFeatureDetails().localSecondaryIndexes().get(0).indexName());
        assertEquals("byColor", d.sourceTableFeatureDetails().globalSecondaryIndexes().get(0).indexName());
        assertEquals(StreamViewType.NEW_IMAGE, d.sourceTableFeatureDetails().streamDescription().streamViewType());
        // The table, meanwhile, announces no backup in progress to its writers any more, and serves as before.
        dynamo.putItem(r -> r.tableName(table).item(item(99)));
    }

    @Test
    void aRestoredTableHasTheItemsAndAnswersIndexQueries() throws Exception {
        String table = indexedTable(60);
        String arn = dynamo.createBackup(r -> r.tableName(table).backupName("first")).backupDetails().backupArn();
        awaitAvailable(arn);
        Map<String, Map<String, AttributeValue>> backedUp = contents(table);
        // Changes after the backup are not in what is restored.
        dynamo.putItem(r -> r.tableName(table).item(item(1000)));
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of("pk", s("p1"), "sk", n(1))));

        String restored = uniqueName("restored");
        TableDescription r0 = dynamo.restoreTableFromBackup(r -> r.targetTableName(restored).backupArn(arn)).tableDescription();
        assertEquals(TableStatus.CREATING, r0.tableStatus());
        assertEquals(arn, r0.restoreSummary().sourceBackupArn());
        assertTrue(r0.restoreSummary().restoreInProgress());
        TableDescription done = awaitRestored(restored);
        assertFalse(done.restoreSummary().restoreInProgress());
        assertEquals(arn, done.restoreSummary().sourceBackupArn());
        assertEquals(dynamo.describeTable(r -> r.tableName(table)).table().tableArn(), done.restoreSummary().sourceTableArn());
        assertNull(done.streamSpecification(), "the stream is not restored");
        assertEquals(BillingMode.PAY_PER_REQUEST, done.billingModeSummary().billingMode());
        assertEquals(IndexStatus.ACTIVE, done.globalSecondaryIndexes().get(0).indexStatus());
        assertEquals(backedUp, contents(restored));

        // The local index, in order, and the global one, as the source's answered before the changes.
        List<String> byRank = new ArrayList<>();
        dynamo.query(r -> r.tableName(restored).indexName("byRank").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("p2")))).items().forEach(i -> byRank.add(i.get("sk").n()));
        List<String> expected = new ArrayList<>();
        for (int i = 59; i >= 0; i--) {
            if (i % 5 == 2) {
                expected.add(Integer.toString(i));
            }
        }
        assertEquals(expected, byRank, "byRank lists the partition's items by rank, ascending");
        List<String> red = new ArrayList<>();
        dynamo.query(r -> r.tableName(restored).indexName("byColor").keyConditionExpression("color = :c")
                .expressionAttributeValues(Map.of(":c", s("c1")))).items().forEach(i -> red.add(i.get("sk").n()));
        List<String> expectedRed = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            if (i % 3 == 1) {
                expectedRed.add(Integer.toString(i));
            }
        }
        assertEquals(expectedRed, red);
        // The restored table is a table like any other.
        dynamo.putItem(r -> r.tableName(restored).item(item(2000)));
        assertEquals(backedUp.size() + 1, contents(restored).size());
    }

    @Test
    void restoreOverridesBillingAndLeavesOutIndexes() throws Exception {
        String table = indexedTable(10);
        String arn = dynamo.createBackup(r -> r.tableName(table).backupName("second")).backupDetails().backupArn();
        awaitAvailable(arn);
        String restored = uniqueName("provisioned");
        dynamo.restoreTableFromBackup(r -> r.targetTableName(restored).backupArn(arn)
                .billingModeOverride(BillingMode.PROVISIONED)
                .provisionedThroughputOverride(p -> p.readCapacityUnits(7L).writeCapacityUnits(3L))
                .globalSecondaryIndexOverride(List.of())
                .sseSpecificationOverride(x -> x.enabled(false)));
        TableDescription d = awaitRestored(restored);
        assertEquals(7L, d.provisionedThroughput().readCapacityUnits());
        assertEquals(3L, d.provisionedThroughput().writeCapacityUnits());
        assertTrue(d.globalSecondaryIndexes().isEmpty(), "the global index was left out");
        assertEquals(1, d.localSecondaryIndexes().size());
        assertEquals(Set.of("pk", "sk", "rank"),
                Set.copyOf(d.attributeDefinitions().stream().map(a -> a.attributeName()).toList()));
        assertEquals(10, contents(restored).size());
        assertDynamoError("ValidationException", "The table does not have the specified index: byColor",
                () -> dynamo.query(r -> r.tableName(restored)
                .indexName("byColor").keyConditionExpression("color = :c")
                .expressionAttributeValues(Map.of(":c", s("c1")))));
    }

    @Test
    void aBackupOutlivesItsTable() throws Exception {
        String table = indexedTable(25);
        Map<String, Map<String, AttributeValue>> items = contents(table);
        String done = dynamo.createBackup(r -> r.tableName(table).backupName("before")).backupDetails().backupArn();
        awaitAvailable(done);
        // A second backup is still being created when the table goes: it is finished all the same.
        String creating = dynamo.createBackup(r -> r.tableName(table).backupName("during")).backupDetails().backupArn();
        dynamo.deleteTable(r -> r.tableName(table));
        dynamo.waiter().waitUntilTableNotExists(r -> r.tableName(table));
        awaitAvailable(creating);
        for (String arn : List.of(done, creating)) {
            assertEquals(table, dynamo.describeBackup(r -> r.backupArn(arn)).backupDescription().sourceTableDetails().tableName());
            String restored = uniqueName("revived");
            dynamo.restoreTableFromBackup(r -> r.targetTableName(restored).backupArn(arn));
            awaitRestored(restored);
            assertEquals(items, contents(restored));
        }
        // Restored under the deleted table's own name.
        dynamo.restoreTableFromBackup(r -> r.targetTableName(table).backupArn(done));
        awaitRestored(table);
        assertEquals(items, contents(table));
        List<String> listed = dynamo.listBackups(r -> r.tableName(table)).backupSummaries().stream()
                .map(BackupSummary::backupArn).toList();
        assertTrue(listed.containsAll(List.of(done, creating)), listed.toString());
    }

    @Test
    void listBackupsFiltersAndPages() throws Exception {
        String a = indexedTable(1);
        String b = indexedTable(1);
        List<String> arnsA = new ArrayList<>();
        Instant middle = null;
        for (int i = 0; i < 5; i++) {
            int k = i;
            arnsA.add(dynamo.createBackup(r -> r.tableName(a).backupName("bk-a" + k)).backupDetails().backupArn());
            if (i == 2) {
                Thread.sleep(20);
                middle = Instant.now();
                Thread.sleep(20);
            }
        }
        String arnB = dynamo.createBackup(r -> r.tableName(b).backupName("bk-b")).backupDetails().backupArn();
        TableDescription ta = dynamo.describeTable(r -> r.tableName(a)).table();

        // By table name or ARN, in the order they were made, two a page.
        List<String> paged = new ArrayList<>();
        String start = null;
        int pages = 0;
        do {
            String from = start;
            ListBackupsResponse page = dynamo.listBackups(r -> r.tableName(ta.tableArn()).limit(2).exclusiveStartBackupArn(from));
            assertTrue(page.backupSummaries().size() <= 2);
            page.backupSummaries().forEach(x -> {
                assertEquals(a, x.tableName());
                assertEquals(ta.tableId(), x.tableId());
                assertEquals(BackupType.USER, x.backupType());
                paged.add(x.backupArn());
            });
            start = page.lastEvaluatedBackupArn();
            pages++;
        } while (start != null && pages < 10);
        assertEquals(arnsA, paged);
        assertEquals(3, pages);
        // By time: the lower bound is inclusive, the upper exclusive.
        Instant cut = middle;
        assertEquals(arnsA.subList(3, 5), arns(dynamo.listBackups(r -> r.tableName(a).timeRangeLowerBound(cut))));
        assertEquals(arnsA.subList(0, 3), arns(dynamo.listBackups(r -> r.tableName(a).timeRangeUpperBound(cut))));
        // By type: every backup is the user's.
        assertEquals(List.of(arnB), arns(dynamo.listBackups(r -> r.tableName(b).backupType(BackupTypeFilter.ALL))));
        assertEquals(List.of(), arns(dynamo.listBackups(r -> r.tableName(b).backupType(BackupTypeFilter.SYSTEM))));
        assertEquals(List.of(), arns(dynamo.listBackups(r -> r.tableName("no-such-table"))));
        assertTrue(arns(dynamo.listBackups(r -> r.limit(100))).containsAll(List.of(arnB, arnsA.get(0))));
    }

    private static List<String> arns(ListBackupsResponse r) {
        return r.backupSummaries().stream().map(BackupSummary::backupArn).toList();
    }

    @Test
    void deleteBackupLeavesItGone() throws Exception {
        String table = indexedTable(3);
        String arn = dynamo.createBackup(r -> r.tableName(table).backupName("short-lived")).backupDetails().backupArn();
        // Being created, it cannot be deleted or restored.
        assertDynamoError("BackupInUseException", "Backup is being created: " + arn,
                () -> dynamo.deleteBackup(r -> r.backupArn(arn)));
        assertDynamoError("BackupInUseException", "Backup is being created: " + arn,
                () -> dynamo.restoreTableFromBackup(r -> r.backupArn(arn).targetTableName(uniqueName("early"))));
        awaitAvailable(arn);
        BackupDescription deleted = dynamo.deleteBackup(r -> r.backupArn(arn)).backupDescription();
        assertEquals(BackupStatus.DELETED, deleted.backupDetails().backupStatus());
        assertEquals(table, deleted.sourceTableDetails().tableName());
        assertDynamoError("BackupNotFoundException", "Backup not found: " + arn, () -> dynamo.describeBackup(r -> r.backupArn(arn)));
        assertDynamoError("BackupNotFoundException", "Backup not found: " + arn, () -> dynamo.deleteBackup(r -> r.backupArn(arn)));
        assertDynamoError("BackupNotFoundException", "Backup not found: " + arn,
                () -> dynamo.restoreTableFromBackup(r -> r.backupArn(arn).targetTableName(uniqueName("late"))));
        assertFalse(arns(dynamo.listBackups(r -> r.tableName(table))).contains(arn));
    }

    @Test
    void errorsAsDynamoDbGivesThem() throws Exception {
        String missing = uniqueName("missing");
        assertDynamoError("TableNotFoundException", "Table not found: " + missing,
                () -> dynamo.createBackup(r -> r.tableName(missing).backupName("x-backup")));
        String table = indexedTable(2);
        assertDynamoError("ValidationException", "1 validation error detected: Value 'ab' at 'backupName' failed to satisfy "
                + "constraint: Member must have length greater than or equal to 3",
                () -> dynamo.createBackup(r -> r.tableName(table).backupName("ab")));
        assertDynamoError("ValidationException", "1 validation error detected: Value 'a b c' at 'backupName' failed to "
                + "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                () -> dynamo.createBackup(r -> r.tableName(table).backupName("a b c")));
        assertDynamoError("ValidationException", "1 validation error detected: Value null at 'backupName' failed to "
                + "satisfy constraint: Member must not be null", () -> dynamo.createBackup(r -> r.tableName(table)));
        assertDynamoError("ValidationException", "1 validation error detected: Value 'arn:short' at 'backupArn' failed to "
                + "satisfy constraint: Member must have length greater than or equal to 37",
                () -> dynamo.describeBackup(r -> r.backupArn("arn:short")));
        String unknown = "arn:aws:dynamodb:us-east-1:000000000000:table/" + table + "/backup/01623095754481-2cfcd6f9";
        assertDynamoError("BackupNotFoundException", "Backup not found: " + unknown, () -> dynamo.describeBackup(r -> r.backupArn(unknown)));
        assertDynamoError("ValidationException", "1 validation error detected: Value '0' at 'limit' failed to satisfy "
                + "constraint: Member must have value greater than or equal to 1", () -> dynamo.listBackups(r -> r.limit(0)));

        String arn = dynamo.createBackup(r -> r.tableName(table).backupName("source")).backupDetails().backupArn();
        awaitAvailable(arn);
        assertDynamoError("TableAlreadyExistsException", "Table already exists: " + table,
                () -> dynamo.restoreTableFromBackup(r -> r.backupArn(arn).targetTableName(table)));
        String target = uniqueName("target");
        dynamo.restoreTableFromBackup(r -> r.backupArn(arn).targetTableName(target));
        // The first restore keeps its table CREATING: another one to the same name is refused.
        assertDynamoError("TableInUseException", "Table is being created or deleted: " + target,
                () -> dynamo.restoreTableFromBackup(r -> r.backupArn(arn).targetTableName(target)));
        assertDynamoError("ValidationException", "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                + "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
                () -> dynamo.restoreTableFromBackup(r -> r.backupArn(arn).targetTableName(uniqueName("t"))
                        .provisionedThroughputOverride(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))));
        assertDynamoError("ValidationException", "One or more parameter values were invalid: ReadCapacityUnits and "
                + "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
                () -> dynamo.restoreTableFromBackup(r -> r.backupArn(arn).targetTableName(uniqueName("t"))
                        .billingModeOverride(BillingMode.PROVISIONED)));
        assertDynamoError("ValidationException", null,
                () -> dynamo.restoreTableFromBackup(r -> r.backupArn(arn).targetTableName(uniqueName("t"))
                        .globalSecondaryIndexOverride(GlobalSecondaryIndex.builder().indexName("other")
                                .keySchema(KeySchemaElement.builder().attributeName("color").keyType(KeyType.HASH).build())
                                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())));
        assertDynamoError("ValidationException",
                "One or more parameter values were invalid: SSEType can not be specified if Enabled is false",
                () -> dynamo.restoreTableFromBackup(r -> r.backupArn(arn).targetTableName(uniqueName("t"))
                        .sseSpecificationOverride(x -> x.enabled(false).sseType("KMS"))));
        assertDynamoError("ValidationException", "1 validation error detected: Value 'HOURLY' at 'billingModeOverride' "
                + "failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
                () -> dynamo.restoreTableFromBackup(r -> r.backupArn(arn).targetTableName(uniqueName("t"))
                        .billingModeOverride("HOURLY")));
        // While the restore reads it, the backup cannot be deleted; a small restore may be done already,
        // and a delete that went through must have found it done (the table turns ACTIVE first).
        boolean deleted;
        try {
            dynamo.deleteBackup(r -> r.backupArn(arn));
            deleted = true;
        } catch (software.amazon.awssdk.services.dynamodb.model.DynamoDbException e) {
            assertEquals("BackupInUseException", e.awsErrorDetails().errorCode());
            assertEquals("Backup is being restored to a table: " + arn, e.awsErrorDetails().errorMessage());
            deleted = false;
        }
        if (deleted) {
            assertEquals(TableStatus.ACTIVE, dynamo.describeTable(r -> r.tableName(target)).table().tableStatus());
        }
        awaitRestored(target);
        assertEquals(2, contents(target).size());
        if (!deleted) {
            assertNotNull(dynamo.deleteBackup(r -> r.backupArn(arn)));
        }
    }

    @Test
    void indexPartitionsOfManyPagesAreRestoredWholeAndInOrder() throws Exception {
        // Two index partitions of 600 entries of about 400 bytes: each spans several pages, so the
        // restore's page-at-a-time entry writes split pages as they go.
        String table = uniqueName("paged");
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.N),
                        a -> a.attributeName("g").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byGroup")
                        .keySchema(KeySchemaElement.builder().attributeName("g").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
        List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            Map<String, AttributeValue> item = Map.of("pk", s("p" + i % 40), "sk", n(i), "g", s("g" + i % 2),
                    "payload", s("y".repeat(400)));
            batch.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                    .putRequest(p -> p.item(item)).build());
            if (batch.size() == 25) {
                var send = Map.of(table, List.copyOf(batch));
                var left = dynamo.batchWriteItem(r -> r.requestItems(send)).unprocessedItems();
                while (left != null && !left.isEmpty()) {
                    var again = left;
                    left = dynamo.batchWriteItem(r -> r.requestItems(again)).unprocessedItems();
                }
                batch.clear();
            }
        }
        String arn = dynamo.createBackup(r -> r.tableName(table).backupName("paged")).backupDetails().backupArn();
        awaitAvailable(arn);
        String restored = uniqueName("restored");
        dynamo.restoreTableFromBackup(r -> r.targetTableName(restored).backupArn(arn));
        awaitRestored(restored);
        for (String group : List.of("g0", "g1")) {
            List<String> expected = new ArrayList<>();
            for (int i = group.equals("g0") ? 0 : 1; i < 1200; i += 2) {
                expected.add(Integer.toString(i));
            }
            List<String> found = new ArrayList<>();
            dynamo.queryPaginator(r -> r.tableName(restored).indexName("byGroup").keyConditionExpression("g = :g")
                    .expressionAttributeValues(Map.of(":g", s(group)))).items()
                    .forEach(i -> {
                        assertEquals(400, i.get("payload").s().length());
                        found.add(i.get("sk").n());
                    });
            assertEquals(expected, found, "the index partition " + group + " whole, by sk");
        }
    }
}
