package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CreateTable, DescribeTable, ListTables, UpdateTable and DeleteTable through the AWS SDK. */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class TableLifecycleTest extends DynamoTestBase {

    @Test
    void createdTableGoesFromCreatingToActiveWithFullDescription() {
        String name = uniqueName("music");
        CreateTableResponse created = dynamo.createTable(b -> b.tableName(name)
                .keySchema(KeySchemaElement.builder().attributeName("Artist").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("Song").keyType(KeyType.RANGE).build())
                .attributeDefinitions(attr("Artist", ScalarAttributeType.S), attr("Song", ScalarAttributeType.S),
                        attr("Year", ScalarAttributeType.N), attr("Genre", ScalarAttributeType.S))
                .provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(5L).writeCapacityUnits(7L).build())
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("ByYear")
                        .keySchema(KeySchemaElement.builder().attributeName("Artist").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("Year").keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("ByGenre")
                        .keySchema(KeySchemaElement.builder().attributeName("Genre").keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                .nonKeyAttributes("Year").build())
                        .provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(1L).writeCapacityUnits(1L).build())
                        .build())
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES))
                .tags(Tag.builder().key("team").value("audio").build()));
        assertEquals(TableStatus.CREATING, created.tableDescription().tableStatus());

        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        TableDescription t = dynamo.describeTable(r -> r.tableName(name)).table();
        assertEquals(TableStatus.ACTIVE, t.tableStatus());
        assertEquals(name, t.tableName());
        assertEquals("arn:aws:dynamodb:us-east-1:000000000000:table/" + name, t.tableArn());
        assertNotNull(t.tableId());
        assertNotNull(t.creationDateTime());
        assertEquals(0L, t.itemCount());
        assertEquals(0L, t.tableSizeBytes());
        assertEquals(2, t.keySchema().size());
        assertEquals(KeyType.RANGE, t.keySchema().get(1).keyType());
        assertEquals(4, t.attributeDefinitions().size());
        assertEquals(5L, t.provisionedThroughput().readCapacityUnits());
        assertEquals(7L, t.provisionedThroughput().writeCapacityUnits());
        assertEquals("ByYear", t.localSecondaryIndexes().get(0).indexName());
        assertEquals(ProjectionType.KEYS_ONLY, t.localSecondaryIndexes().get(0).projection().projectionType());
        assertEquals("ByGenre", t.globalSecondaryIndexes().get(0).indexName());
        assertEquals(List.of("Year"), t.globalSecondaryIndexes().get(0).projection().nonKeyAttributes());
        assertEquals(t.tableArn() + "/index/ByGenre", t.globalSecondaryIndexes().get(0).indexArn());
        assertTrue(t.streamSpecification().streamEnabled());
        assertEquals(StreamViewType.NEW_AND_OLD_IMAGES, t.streamSpecification().streamViewType());
        assertNotNull(t.latestStreamLabel());
        assertEquals(t.tableArn() + "/stream/" + t.latestStreamLabel(), t.latestStreamArn());
    }

    @Test
    void listTablesPagesInNameOrder() {
        String prefix = uniqueName("list");
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = prefix + "-" + i;
            dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .attributeDefinitions(attr("pk", ScalarAttributeType.S)));
            mine.add(name);
        }
        List<String> seen = new ArrayList<>();
        String start = null;
        int pages = 0;
        do {
            String from = start;
            ListTablesResponse page = dynamo.listTables(r -> r.limit(2).exclusiveStartTableName(from));
            assertTrue(page.tableNames().size() <= 2);
            seen.addAll(page.tableNames());
            start = page.lastEvaluatedTableName();
            pages++;
        } while (start != null && pages < 1000);
        List<String> sorted = new ArrayList<>(seen);
        sorted.sort(null);
        assertEquals(sorted, seen, "names come back in ascending order");
        assertTrue(seen.containsAll(mine));
        assertEquals(seen.size(), seen.stream().distinct().count(), "no name on two pages");
    }

    @Test
    void updateTableChangesBillingThroughputAndStream() {
        String name = uniqueName("upd");
        dynamo.createTable(b -> b.tableName(name)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(attr("pk", ScalarAttributeType.S))
                .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));

        TableDescription raised = dynamo.updateTable(r -> r.tableName(name)
                .provisionedThroughput(p -> p.readCapacityUnits(10L).writeCapacityUnits(20L))).tableDescription();
        assertEquals(TableStatus.UPDATING, raised.tableStatus());
        TableDescription t = dynamo.describeTable(r -> r.tableName(name)).table();
        assertEquals(10L, t.provisionedThroughput().readCapacityUnits());
        assertEquals(20L, t.provisionedThroughput().writeCapacityUnits());
        assertNotNull(t.provisionedThroughput().lastIncreaseDateTime());

        dynamo.updateTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST));
        t = dynamo.describeTable(r -> r.tableName(name)).table();
        assertEquals(BillingMode.PAY_PER_REQUEST, t.billingModeSummary().billingMode());
        assertNotNull(t.billingModeSummary().lastUpdateToPayPerRequestDateTime());

        dynamo.updateTable(r -> r.tableName(name).streamSpecification(s -> s.streamEnabled(true)
                .streamViewType(StreamViewType.KEYS_ONLY)));
        t = dynamo.describeTable(r -> r.tableName(name)).table();
        assertEquals(StreamViewType.KEYS_ONLY, t.streamSpecification().streamViewType());
        String label = t.latestStreamLabel();
        dynamo.updateTable(r -> r.tableName(name).streamSpecification(s -> s.streamEnabled(false)));
        t = dynamo.describeTable(r -> r.tableName(name)).table();
        assertNull(t.streamSpecification());
        assertEquals(label, t.latestStreamLabel(), "the last stream stays described after it is disabled");
    }

    @Test
    void deletedTableIsGoneWithItsData() {
        String name = createTable("del", "pk", ScalarAttributeType.S, null, null);
        dynamo.putItem(r -> r.tableName(name).item(java.util.Map.of("pk", AttributeValue.fromS("a"))));
        DeleteTableResponse deleted = dynamo.deleteTable(r -> r.tableName(name));
        assertEquals(TableStatus.DELETING, deleted.tableDescription().tableStatus());
        dynamo.waiter().waitUntilTableNotExists(r -> r.tableName(name));
        assertFalse(dynamo.listTables().tableNames().contains(name));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found: Table: " + name + " not found",
                () -> dynamo.describeTable(r -> r.tableName(name)));
        assertDynamoError("ResourceNotFoundException", "Requested resource not found",
                () -> dynamo.getItem(r -> r.tableName(name).key(java.util.Map.of("pk", AttributeValue.fromS("a")))));

        // Created again under the same name, the table starts empty.
        String again = name;
        dynamo.createTable(b -> b.tableName(again).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(attr("pk", ScalarAttributeType.S)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(again));
        assertFalse(dynamo.getItem(r -> r.tableName(again).consistentRead(true)
                .key(java.util.Map.of("pk", AttributeValue.fromS("a")))).hasItem());
    }

    @Test
    void itemCountAndSizeFollowTheItems() throws Exception {
        String name = createTable("stats", "pk", ScalarAttributeType.S, null, null);
        long expectedBytes = 0;
        for (int i = 0; i < 7; i++) {
            String pk = "item-" + i;
            dynamo.putItem(r -> r.tableName(name).item(java.util.Map.of("pk", AttributeValue.fromS(pk),
                    "payload", AttributeValue.fromS("x".repeat(100)))));
            expectedBytes += "pk".length() + pk.length() + "payload".length() + 100;
        }
        TableDescription t = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            t = dynamo.describeTable(r -> r.tableName(name)).table();
            if (t.itemCount() == 7) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(7L, t.itemCount(), "ItemCount catches up with the writes");
        assertEquals(expectedBytes, t.tableSizeBytes());
    }

    static AttributeDefinition attr(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }
}
