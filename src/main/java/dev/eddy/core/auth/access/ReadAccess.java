package dev.eddy.core.auth.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.auth.policy.AccessRequest;
import dev.eddy.core.expression.Expressions;
import dev.eddy.core.expression.KeyCondition;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.TableDefinition;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Query and Scan: on the table's ARN, or the index's ({@code table/T/index/I}) with IndexName. A
 * Query touches one partition (its dynamodb:LeadingKeys); a Scan any, so it has none.
 */
public final class ReadAccess {
    private ReadAccess() {
    }

    public static List<AccessRequest> query(JsonNode r, AccessContext ctx) {
        return Facts.one(facts("Query", r, ctx, "QueryFilter", "KeyConditions")
                .put(ConditionKeys.LEADING_KEYS, leadingKey(r, ctx)));
    }

    /** The partition a Query request reads, as policies see it; null when its table is unknown. */
    static String leadingKey(JsonNode r, AccessContext ctx) {
        TableDefinition table = ctx.table(Facts.text(r, "TableName"));
        String index = Facts.text(r, "IndexName");
        String hashKey = keyOf(table, index, true);
        if (hashKey == null) {
            return null;
        }
        String value = partitionValue(r, table, hashKey, keyOf(table, index, false));
        return value != null ? value : ConditionKeys.UNREADABLE_KEY;
    }

    public static List<AccessRequest> scan(JsonNode r, AccessContext ctx) {
        return Facts.one(facts("Scan", r, ctx, "ScanFilter"));
    }

    private static Facts facts(String action, JsonNode r, AccessContext ctx, String... legacyMaps) {
        String tableName = Facts.text(r, "TableName");
        String index = Facts.text(r, "IndexName");
        String select = select(r, index);
        Set<String> attributes = "COUNT".equals(select) ? new LinkedHashSet<>()
                : "SPECIFIC_ATTRIBUTES".equals(select) ? AttributeNames.inExpressions(r, "ProjectionExpression")
                : new LinkedHashSet<>(Set.of(ConditionKeys.ALL_ATTRIBUTES));
        attributes.addAll(Facts.strings(r.get("AttributesToGet")));
        attributes.addAll(AttributeNames.inExpressions(r, "KeyConditionExpression", "FilterExpression"));
        attributes.addAll(AttributeNames.inLegacyMaps(r, legacyMaps));
        String capacity = Facts.text(r, "ReturnConsumedCapacity");
        return Facts.of(action, index != null ? ctx.indexArn(tableName, index) : ctx.tableArn(tableName), ctx)
                .put(ConditionKeys.SELECT, select)
                .put(ConditionKeys.ATTRIBUTES, attributes)
                .put(ConditionKeys.RETURN_CONSUMED_CAPACITY, capacity != null ? capacity : "NONE");
    }

    /**
     * Select as in effect: as given, else SPECIFIC_ATTRIBUTES for a projection, else every attribute
     * of the table or, on an index, every projected one (API Reference, Query, "Select").
     */
    static String select(JsonNode r, String index) {
        String select = Facts.text(r, "Select");
        if (select != null) {
            return select;
        }
        if (Facts.text(r, "ProjectionExpression") != null || r.has("AttributesToGet")) {
            return "SPECIFIC_ATTRIBUTES";
        }
        return index != null ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES";
    }

    /** The partition (or sort) key of the table or of the index the request names. */
    private static String keyOf(TableDefinition table, String indexName, boolean partition) {
        if (table == null) {
            return null;
        }
        if (indexName == null) {
            return partition ? table.hashKey() : table.rangeKey();
        }
        IndexDefinition index = table.index(indexName);
        return index == null ? null : partition ? index.hashKey() : index.rangeKey();
    }

    /** The partition a Query reads, from its key condition, parsed as Query parses it. */
    private static String partitionValue(JsonNode r, TableDefinition table, String hashKey, String rangeKey) {
        String text = Facts.text(r, "KeyConditionExpression");
        try {
            if (text != null) {
                Placeholders placeholders = Placeholders.read(r.get("ExpressionAttributeNames"),
                        r.get("ExpressionAttributeValues"));
                KeyCondition parsed = Expressions.keyCondition(text, placeholders,
                        new KeyCondition.Schema(hashKey, table.attributeType(hashKey), rangeKey,
                                rangeKey == null ? null : table.attributeType(rangeKey)));
                return Facts.keyText(parsed.partitionValue());
            }
            JsonNode legacy = r.path("KeyConditions").path(hashKey).path("AttributeValueList");
            return legacy.isArray() && legacy.size() == 1 ? Facts.keyText(legacy.get(0)) : null;
        } catch (RuntimeException malformed) {
            return null; // Query refuses it with its own error
        }
    }
}
