package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** What the single-item operations share: reading items and keys, ReturnValues, ConsumedCapacity. */
final class ItemRequests {
    static final List<String> RETURN_VALUES = List.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
    static final List<String> RETURN_CAPACITY = List.of("INDEXES", "TOTAL", "NONE");
    static final List<String> RETURN_METRICS = List.of("SIZE", "NONE");
    /** Parameters of the expression languages, which arrive with the expressions work. */
    private static final List<String> NOT_YET = List.of("ConditionExpression", "UpdateExpression",
            "ProjectionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues", "Expected",
            "ConditionalOperator");

    private ItemRequests() {
    }

    static Map<String, AttributeValue> map(Request r, String member) {
        JsonNode node = r.object(member);
        return node == null ? null : AttributeValueJson.readItem(node, member);
    }

    static void refuseExpressions(Request r) {
        for (String member : NOT_YET) {
            if (r.node(member) != null) {
                throw Errors.validation(member + " is not supported by this Eddy version yet");
            }
        }
    }

    static void checkSize(Map<String, AttributeValue> item) {
        if (ItemSize.of(item) > ItemSize.MAX_ITEM_BYTES) {
            throw Errors.itemTooLarge();
        }
    }

    static void writeItem(JsonGenerator out, String field, Map<String, AttributeValue> item) throws IOException {
        out.writeFieldName(field);
        AttributeValueJson.writeItem(out, item);
    }

    /**
     * Capacity units as DynamoDB charges them: a write is one unit per started KB of the larger of
     * the old and new item; a read one unit per started 4 KB, half that when eventually consistent.
     */
    static double writeUnits(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem) {
        long size = Math.max(oldItem == null ? 0 : ItemSize.of(oldItem), newItem == null ? 0 : ItemSize.of(newItem));
        return Math.max(1, (size + 1023) / 1024);
    }

    static double readUnits(Map<String, AttributeValue> item, boolean consistent) {
        long size = item == null ? 0 : ItemSize.of(item);
        double units = Math.max(1, (size + 4095) / 4096);
        return consistent ? units : units / 2;
    }

    static void writeCapacity(JsonGenerator out, String mode, TableDefinition t, double units) throws IOException {
        if (mode == null || "NONE".equals(mode)) {
            return;
        }
        out.writeObjectFieldStart("ConsumedCapacity");
        out.writeStringField("TableName", t.tableName());
        out.writeNumberField("CapacityUnits", units);
        if ("INDEXES".equals(mode)) {
            out.writeObjectFieldStart("Table");
            out.writeNumberField("CapacityUnits", units);
            out.writeEndObject();
        }
        out.writeEndObject();
    }
}
