package dev.eddy.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Prepared;
import dev.eddy.core.api.Reply;
import dev.eddy.core.api.Request;
import dev.eddy.core.api.RequestShape;
import dev.eddy.core.error.Errors;
import dev.eddy.core.expression.Expressions;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.expression.Projection;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.json.JsonMembers;
import dev.eddy.core.json.RawJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.storage.StoredItem;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GetItem: one item by key, whole or projected (ProjectionExpression, or the legacy
 * AttributesToGet). ConsistentRead=true reads from the key's owner; otherwise the near cache may
 * answer, and then the whole item is copied into the response as the page it is on keeps it.
 */
public final class GetItem implements Operation {
    /** GetItem reports bad numbers and set duplicates bare, without the write operations' envelope. */
    private static final RequestShape SHAPE = RequestShape.of("Key", JsonMembers.BARE_ITEM,
            "ExpressionAttributeNames", JsonMembers.NAMES);

    private final OperationContext context;

    public GetItem(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "GetItem";
    }

    @Override
    public RequestShape shape() {
        return SHAPE;
    }

    @Override
    public Prepared prepare(Request r) {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        Map<String, AttributeValue> keyMap = r.read("Key", JsonMembers.BARE_ITEM);
        r.notNull("key", keyMap);
        boolean consistent = Boolean.TRUE.equals(r.bool("ConsistentRead"));
        Set<String> attributesToGet = attributesToGet(r);
        String projectionExpression = r.string("ProjectionExpression");
        String capacity = r.oneOf("ReturnConsumedCapacity", ItemRequests.RETURN_CAPACITY);
        r.check();
        // GetItem has no ExpressionAttributeValues member: one sent is ignored, as DynamoDB ignores it.
        ItemRequests.checkParameterStyles(r, List.of("ProjectionExpression"), List.of(), List.of("AttributesToGet"));
        Placeholders placeholders = ItemRequests.placeholders(r, false);
        Projection projection = projectionExpression == null ? null
                : Expressions.projection(projectionExpression, placeholders);
        placeholders.checkAllUsed();
        return continuations -> Tables.forItemsAsync(context, name).thenCompose(t -> {
            if (projection != null) {
                ReadRequests.checkScalarKeys(t, projection.paths());
            }
            return context.items().getAsync(t, ItemKeys.fromKey(t, keyMap), consistent, continuations)
                    .thenApply(found -> reply(t, found, projection, attributesToGet, capacity, consistent));
        });
    }

    private static Reply reply(TableDefinition t, StoredItem found, Projection projection, Set<String> attributesToGet,
                               String capacity, boolean consistent) {
        return out -> {
            Map<String, AttributeValue> item = null;
            if (found != null) {
                if (projection == null && attributesToGet == null && RawJson.copies(out)) {
                    out.writeFieldName("Item");
                    RawJson.write(out, found.json());
                } else {
                    item = found.item();
                    Map<String, AttributeValue> returned = item;
                    if (projection != null) {
                        returned = projection.project(item);
                    } else if (attributesToGet != null) {
                        returned = ItemRequests.attributesToGet(item, attributesToGet);
                    }
                    ItemRequests.writeItem(out, "Item", returned);
                }
            }
            Map<String, AttributeValue> sized = item;
            // A projection does not make the read cheaper: DynamoDB charges for the whole item.
            ItemRequests.writeCapacity(out, capacity, t, () -> ItemRequests.readUnits(
                    sized != null || found == null ? sized : found.item(), consistent));
        };
    }

    /** The legacy projection: top-level attribute names, at least one, no duplicates. */
    static Set<String> attributesToGet(Request r) {
        JsonNode list = r.list("AttributesToGet");
        if (list == null) {
            return null;
        }
        if (list.size() == 0) {
            r.violation("'[]'", "attributesToGet", "Member must have length greater than or equal to 1");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode n : list) {
            if (!n.isTextual()) {
                throw Errors.serialization(AttributeValueJson.wrongShape(n, "String"));
            }
            if (!names.add(n.textValue())) {
                throw Errors.invalidParameter("Duplicate value in attribute name: " + n.textValue());
            }
        }
        return names;
    }
}
