package dev.eddy.triggers.examples;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes to an Eddy table with a stream through the AWS SDK; Eddy puts each change on the stream's
 * topic itself, where the dispatcher under test reads it.
 */
final class TableChanges implements AutoCloseable {
    private final DynamoDbClient dynamo;
    private final String table;
    private final String topic;

    TableChanges(DynamoDbClient dynamo, String table, String topic) {
        this.dynamo = dynamo;
        this.table = table;
        this.topic = topic;
    }

    String topic() {
        return topic;
    }

    String table() {
        return table;
    }

    void put(Map<String, AttributeValue> item) {
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    void update(Map<String, AttributeValue> key, String updateExpression, Map<String, String> names,
            Map<String, AttributeValue> values) {
        dynamo.updateItem(r -> r.tableName(table).key(key).updateExpression(updateExpression)
                .expressionAttributeNames(names).expressionAttributeValues(values));
    }

    void delete(Map<String, AttributeValue> key) {
        dynamo.deleteItem(r -> r.tableName(table).key(key));
    }

    @Override
    public void close() {
        // the table stays: each test uses a fresh one
    }
}
