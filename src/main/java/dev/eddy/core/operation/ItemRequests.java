package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.expression.Condition;
import dev.eddy.core.expression.Expected;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.json.JsonMembers;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the single-item operations share: reading items and keys, the expression and legacy
 * parameters, conditions, ReturnValues, ConsumedCapacity and ItemCollectionMetrics.
 */
final class ItemRequests {
    /** In the order DynamoDB lists them in its enum violation message. */
    static final List<String> RETURN_VALUES = List.of("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW");
    static final List<String> RETURN_CAPACITY = List.of("INDEXES", "TOTAL", "NONE");
    static final List<String> RETURN_METRICS = List.of("SIZE", "NONE");
    static final List<String> RETURN_ON_CONDITION_FAILURE = List.of("ALL_OLD", "NONE");

    private ItemRequests() {
    }

    static Map<String, AttributeValue> map(Request r, String member) {
        JsonNode node = r.object(member);
        return node == null ? null : AttributeValueJson.readItem(node, member);
    }

    /**
     * The rules on which parameters go together (API Reference, "Legacy conditional parameters"): an
     * expression parameter and a legacy one may not meet in a request, and expression attribute
     * names and values need an expression to be used in.
     *
     * @param expressions      the operation's expression members, in the order DynamoDB lists them
     * @param valueExpressions those of them that can use ExpressionAttributeValues (none: the
     *                         operation has no such member)
     * @param legacy           the operation's non-expression members, in DynamoDB's order (ConditionalOperator
     *                         is not one for the item writes: DynamoDB names only Expected and AttributeUpdates)
     */
    static void checkParameterStyles(Request r, List<String> expressions, List<String> valueExpressions,
                                     List<String> legacy) {
        List<String> givenExpressions = given(r, expressions);
        if (!givenExpressions.isEmpty()) {
            List<String> givenLegacy = given(r, legacy);
            // KeyConditions is at odds with KeyConditionExpression only: DynamoDB takes it together with a
            // FilterExpression or ProjectionExpression (as its texts, captured by dynalite's tests, show).
            if (!r.has("KeyConditionExpression")) {
                givenLegacy.remove("KeyConditions");
            }
            if (!givenLegacy.isEmpty()) {
                throw Errors.mixedParameters(givenLegacy, givenExpressions);
            }
        }
        if (r.has("ExpressionAttributeNames") && givenExpressions.isEmpty()) {
            throw Errors.namesWithoutExpressions();
        }
        if (!valueExpressions.isEmpty() && r.has("ExpressionAttributeValues")
                && given(r, valueExpressions).isEmpty()) {
            throw Errors.valuesWithoutExpressions(valueExpressions);
        }
    }

    private static List<String> given(Request r, List<String> members) {
        List<String> given = new ArrayList<>();
        for (String m : members) {
            if (r.has(m)) {
                given.add(m);
            }
        }
        return given;
    }

    /**
     * ExpressionAttributeNames and, when the operation has it, ExpressionAttributeValues, read as the
     * body streamed by (when the operation's shape names them) and checked in DynamoDB's order.
     */
    static Placeholders placeholders(Request r, boolean withValues) {
        Map<String, String> names = r.read("ExpressionAttributeNames", JsonMembers.NAMES);
        return Placeholders.read(names, withValues ? () -> r.read("ExpressionAttributeValues", JsonMembers.VALUES) : null);
    }

    /**
     * The legacy Expected parameter as written; ComparisonOperator values out of the enum are
     * collected as constraint violations. Null when not given.
     */
    static Map<String, Expected.Expectation> expected(Request r) {
        return expected(r, "Expected", "expected");
    }

    /** Expected, or the filters with the same shape: QueryFilter and ScanFilter. */
    static Map<String, Expected.Expectation> expected(Request r, String member, String path) {
        JsonNode node = r.object(member);
        if (node == null) {
            return null;
        }
        Map<String, Expected.Expectation> expected = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode entry = e.getValue();
            if (!entry.isObject()) {
                throw Errors.serialization(AttributeValueJson.wrongShape(entry, "a structure"));
            }
            JsonNode value = Request.object(entry, "Value");
            Boolean exists = Request.bool(entry, "Exists");
            String operator = Request.string(entry, "ComparisonOperator");
            r.oneOf(path + "." + e.getKey() + ".member.comparisonOperator", operator, Expected.OPERATORS);
            JsonNode list = Request.list(entry, "AttributeValueList");
            List<AttributeValue> values = null;
            if (list != null) {
                values = new ArrayList<>(list.size());
                for (JsonNode v : list) {
                    values.add(AttributeValueJson.read(v, 0));
                }
            }
            expected.put(e.getKey(), new Expected.Expectation(value == null ? null : AttributeValueJson.read(value, 0),
                    exists, operator, values));
        }
        return expected;
    }

    /**
     * Checks a write's condition against the item it would replace. Called inside the write's
     * compare-and-set, so the check and the write are one atomic step.
     *
     * @param returnItem ReturnValuesOnConditionCheckFailure=ALL_OLD: the failure carries the item
     */
    static void checkCondition(Condition condition, Map<String, AttributeValue> current, boolean returnItem) {
        if (condition != null && !condition.matches(current)) {
            DynamoException failed = Errors.conditionalCheckFailed();
            throw returnItem && current != null ? failed.withItem(current) : failed;
        }
    }

    /** The legacy AttributesToGet projection: the named top-level attributes the item has. */
    static Map<String, AttributeValue> attributesToGet(Map<String, AttributeValue> item, Set<String> names) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (String a : names) {
            AttributeValue v = item.get(a);
            if (v != null) {
                out.put(a, v);
            }
        }
        return out;
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

    /**
     * ReturnItemCollectionMetrics=SIZE, for tables with local secondary indexes (the only ones whose
     * item collections are limited): the collection's key and DynamoDB's estimate of its size in GB,
     * a range that for any collection below 1 GB reads [0.0, 1.0].
     */
    static void writeCollectionMetrics(JsonGenerator out, String mode, TableDefinition t, PrimaryKey key)
            throws IOException {
        if (!"SIZE".equals(mode) || t.localSecondaryIndexes() == null || t.localSecondaryIndexes().isEmpty()) {
            return;
        }
        out.writeObjectFieldStart("ItemCollectionMetrics");
        writeItem(out, "ItemCollectionKey", Map.of(t.hashKey(), key.hash()));
        out.writeArrayFieldStart("SizeEstimateRangeGB");
        out.writeNumber(0.0);
        out.writeNumber(1.0);
        out.writeEndArray();
        out.writeEndObject();
    }

    /**
     * ReturnConsumedCapacity for one table. The units are computed only when asked for: sizing an
     * item walks all of it, which would otherwise be paid on every read and write.
     */
    static void writeCapacity(JsonGenerator out, String mode, TableDefinition t, java.util.function.DoubleSupplier unitsIfAsked)
            throws IOException {
        writeCapacity(out, mode, t, unitsIfAsked, () -> IndexCapacity.NONE);
    }

    /** ReturnConsumedCapacity of a write: the table's units and, under INDEXES, each index's. */
    static void writeCapacity(JsonGenerator out, String mode, TableDefinition t, java.util.function.DoubleSupplier unitsIfAsked,
                              java.util.function.Supplier<IndexCapacity> indexesIfAsked) throws IOException {
        if (mode == null || "NONE".equals(mode)) {
            return;
        }
        double units = unitsIfAsked.getAsDouble();
        IndexCapacity indexes = indexesIfAsked.get();
        out.writeObjectFieldStart("ConsumedCapacity");
        out.writeStringField("TableName", t.tableName());
        out.writeNumberField("CapacityUnits", units + indexes.total());
        if ("INDEXES".equals(mode)) {
            writeIndexUnits(out, units, indexes);
        }
        out.writeEndObject();
    }

    static void writeIndexUnits(JsonGenerator out, double tableUnits, IndexCapacity indexes) throws IOException {
        out.writeObjectFieldStart("Table");
        out.writeNumberField("CapacityUnits", tableUnits);
        out.writeEndObject();
        writeUnitsByIndex(out, "LocalSecondaryIndexes", indexes.local());
        writeUnitsByIndex(out, "GlobalSecondaryIndexes", indexes.global());
    }

    private static void writeUnitsByIndex(JsonGenerator out, String field, Map<String, Double> units) throws IOException {
        if (units.isEmpty()) {
            return;
        }
        out.writeObjectFieldStart(field);
        for (Map.Entry<String, Double> e : units.entrySet()) {
            out.writeObjectFieldStart(e.getKey());
            out.writeNumberField("CapacityUnits", e.getValue());
            out.writeEndObject();
        }
        out.writeEndObject();
    }
}
