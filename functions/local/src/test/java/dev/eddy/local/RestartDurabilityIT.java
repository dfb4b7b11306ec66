package dev.eddy.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged local app with its embedded default (no configuration but ports and the data
 * folder): tables and items survive a graceful restart and a kill -9, because the embedded
 * Infinispan writes through to its file store before a write is acknowledged.
 */
class RestartDurabilityIT {

    private static Map<String, String> embeddedDefaults(Path data) throws Exception {
        Map<String, String> config = new java.util.HashMap<>(LocalApp.embeddedPorts());
        config.put("eddy.data-dir", data.toString());
        return config;
    }

    @Test
    void dataSurvivesGracefulRestartAndKill() throws Exception {
        Path work = Files.createTempDirectory("eddy-restart");
        Path data = work.resolve("eddy-data");
        Map<String, String> config = embeddedDefaults(data);
        String table = "Restart";

        try (LocalApp first = LocalApp.start(work, config)) {
            String out = first.output();
            assertTrue(out.contains("data in " + data.toAbsolutePath().normalize()), "startup says where data lives: " + out);
            assertTrue(out.contains("authentication is OFF"), "startup says authentication is off");
            try (DynamoDbClient c = first.client()) {
                c.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                                a -> a.attributeName("sk").attributeType(ScalarAttributeType.N)));
                c.waiter().waitUntilTableExists(r -> r.tableName(table));
                write(c, table, 0, 200);
            }
            first.stop();
        }

        try (LocalApp second = LocalApp.start(work, config)) {
            try (DynamoDbClient c = second.client()) {
                assertEquals(TableStatus.ACTIVE, c.describeTable(r -> r.tableName(table)).table().tableStatus());
                check(c, table, 0, 200);
                write(c, table, 200, 400);
            }
            second.kill();
        }

        try (LocalApp third = LocalApp.start(work, config)) {
            try (DynamoDbClient c = third.client()) {
                check(c, table, 0, 400);
            }
        }
    }

    private static void write(DynamoDbClient c, String table, int from, int to) {
        for (int i = from; i < to; i++) {
            String n = Integer.toString(i);
            c.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("p" + (Integer.parseInt(n) % 7)),
                    "sk", AttributeValue.fromN(n), "v", AttributeValue.fromS("value-" + n))));
        }
    }

    private static void check(DynamoDbClient c, String table, int from, int to) {
        for (int i = from; i < to; i++) {
            String n = Integer.toString(i);
            Map<String, AttributeValue> item = c.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(
                    "pk", AttributeValue.fromS("p" + (Integer.parseInt(n) % 7)), "sk", AttributeValue.fromN(n)))).item();
            assertEquals("value-" + n, item.get("v").s(), "item " + n + " survived");
        }
    }
}
