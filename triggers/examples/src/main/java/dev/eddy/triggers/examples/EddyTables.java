package dev.eddy.triggers.examples;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The tables the triggers write to, created on first use when missing, so a trigger works against
 * a fresh Eddy with nothing set up.
 */
final class EddyTables {

    private static final Map<String, Boolean> READY = new ConcurrentHashMap<>();

    private EddyTables() {
    }

    /** Makes sure the table exists, with this hash key and (if not null) this numeric range key. */
    static void ensure(DynamoDbClient dynamo, String table, String hashKey, String numericRangeKey) {
        if (READY.containsKey(table)) {
            return;
        }
        try {
            dynamo.describeTable(r -> r.tableName(table));
        } catch (ResourceNotFoundException missing) {
            try {
                dynamo.createTable(r -> {
                    r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST);
                    if (numericRangeKey == null) {
                        r.keySchema(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build())
                                .attributeDefinitions(attribute(hashKey, ScalarAttributeType.S));
                    } else {
                        r.keySchema(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build(),
                                        KeySchemaElement.builder().attributeName(numericRangeKey).keyType(KeyType.RANGE).build())
                                .attributeDefinitions(attribute(hashKey, ScalarAttributeType.S),
                                        attribute(numericRangeKey, ScalarAttributeType.N));
                    }
                });
            } catch (ResourceInUseException createdMeanwhile) {
                // another instance created it first
            }
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
        }
        READY.put(table, true);
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }
}
