package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.Eddy;
import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.expression.Expressions;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.expression.Projection;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GetItem: one item by key, whole or projected (ProjectionExpression, or the legacy
 * AttributesToGet). ConsistentRead=true reads from the key's owner; otherwise the near cache may
 * answer.
 */
public final class GetItem implements Operation {
    private final Eddy eddy;

    public GetItem(Eddy eddy) {
        this.eddy = eddy;
    }

    @Override
    public String name() {
        return "GetItem";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        // GetItem reports bad numbers and set duplicates bare, without the write operations' envelope.
        com.fasterxml.jackson.databind.JsonNode keyNode = r.object("Key");
        Map<String, AttributeValue> keyMap = keyNode == null ? null
                : dev.eddy.core.json.AttributeValueJson.readItem(keyNode, "Key", false);
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

        TableDefinition t = Tables.forItems(eddy, name);
        if (projection != null) {
            ReadRequests.checkScalarKeys(t, projection.paths());
        }
        Map<String, AttributeValue> item = eddy.items().get(t, ItemKeys.fromKey(t, keyMap), consistent);
        if (item != null) {
            Map<String, AttributeValue> returned = item;
            if (projection != null) {
                returned = projection.project(item);
            } else if (attributesToGet != null) {
                returned = ItemRequests.attributesToGet(item, attributesToGet);
            }
            ItemRequests.writeItem(out, "Item", returned);
        }
        // A projection does not make the read cheaper: DynamoDB charges for the whole item.
        ItemRequests.writeCapacity(out, capacity, t, () -> ItemRequests.readUnits(item, consistent));
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
