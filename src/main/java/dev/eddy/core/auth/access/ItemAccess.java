package dev.eddy.core.auth.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.auth.policy.AccessRequest;
import dev.eddy.core.table.TableDefinition;
import java.util.List;
import java.util.Set;

/** GetItem, PutItem, UpdateItem and DeleteItem, and the item actions batches and transactions are made of. */
public final class ItemAccess {
    private ItemAccess() {
    }

    public static List<AccessRequest> getItem(JsonNode r, AccessContext ctx) {
        return Facts.one(read("GetItem", r, ctx, null));
    }

    public static List<AccessRequest> putItem(JsonNode r, AccessContext ctx) {
        return Facts.one(put("PutItem", r, ctx, null));
    }

    public static List<AccessRequest> updateItem(JsonNode r, AccessContext ctx) {
        return Facts.one(update("UpdateItem", r, ctx, null));
    }

    public static List<AccessRequest> deleteItem(JsonNode r, AccessContext ctx) {
        return Facts.one(delete("DeleteItem", r, ctx, null));
    }

    /** A read of one item by Key (GetItem, a BatchGetItem key, a TransactGetItems Get). */
    static Facts read(String action, JsonNode r, AccessContext ctx, String enclosing) {
        Set<String> attributes = AttributeNames.returned(r);
        attributes.addAll(Facts.names(r.get("Key")));
        return base(action, r, ctx, r.get("Key"), enclosing).put(ConditionKeys.ATTRIBUTES, attributes);
    }

    static Facts put(String action, JsonNode r, AccessContext ctx, String enclosing) {
        Set<String> attributes = Facts.names(r.get("Item"));
        attributes.addAll(AttributeNames.inExpressions(r, "ConditionExpression"));
        attributes.addAll(AttributeNames.inLegacyMaps(r, "Expected"));
        return write(action, r, ctx, r.get("Item"), attributes, enclosing);
    }

    static Facts update(String action, JsonNode r, AccessContext ctx, String enclosing) {
        Set<String> attributes = Facts.names(r.get("Key"));
        attributes.addAll(AttributeNames.inExpressions(r, "UpdateExpression", "ConditionExpression"));
        attributes.addAll(AttributeNames.inLegacyMaps(r, "AttributeUpdates", "Expected"));
        return write(action, r, ctx, r.get("Key"), attributes, enclosing);
    }

    /** DeleteItem, a TransactWriteItems Delete, and ConditionCheck (which names a key and a condition too). */
    static Facts delete(String action, JsonNode r, AccessContext ctx, String enclosing) {
        Set<String> attributes = Facts.names(r.get("Key"));
        attributes.addAll(AttributeNames.inExpressions(r, "ConditionExpression"));
        attributes.addAll(AttributeNames.inLegacyMaps(r, "Expected"));
        return write(action, r, ctx, r.get("Key"), attributes, enclosing);
    }

    private static Facts write(String action, JsonNode r, AccessContext ctx, JsonNode keyOrItem, Set<String> attributes,
                               String enclosing) {
        String returnValues = Facts.text(r, "ReturnValues");
        return base(action, r, ctx, keyOrItem, enclosing)
                .put(ConditionKeys.ATTRIBUTES, attributes)
                .put(ConditionKeys.RETURN_VALUES, returnValues != null ? returnValues : "NONE");
    }

    private static Facts base(String action, JsonNode r, AccessContext ctx, JsonNode keyOrItem, String enclosing) {
        String tableName = Facts.text(r, "TableName");
        TableDefinition table = ctx.table(tableName);
        String capacity = Facts.text(r, "ReturnConsumedCapacity");
        return Facts.of(action, ctx.tableArn(tableName), ctx)
                .leadingKey(table, keyOrItem, null)
                .put(ConditionKeys.RETURN_CONSUMED_CAPACITY, capacity != null ? capacity : "NONE")
                .put(ConditionKeys.ENCLOSING_OPERATION, enclosing);
    }
}
