package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.Eddy;
import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * GetItem: one item by key. ConsistentRead=true reads from the key's owner; otherwise the near
 * cache may answer.
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
        Map<String, AttributeValue> keyMap = ItemRequests.map(r, "Key");
        r.notNull("key", keyMap);
        boolean consistent = Boolean.TRUE.equals(r.bool("ConsistentRead"));
        Set<String> attributesToGet = attributesToGet(r);
        String capacity = r.string("ReturnConsumedCapacity");
        r.oneOf("returnConsumedCapacity", capacity, ItemRequests.RETURN_CAPACITY);
        r.check();
        ItemRequests.refuseExpressions(r);

        TableDefinition t = Tables.forItems(eddy, name);
        Map<String, AttributeValue> item = eddy.items().get(t, ItemKeys.fromKey(t, keyMap), consistent);
        if (item != null) {
            if (attributesToGet != null) {
                Map<String, AttributeValue> projected = new LinkedHashMap<>();
                for (String a : attributesToGet) {
                    AttributeValue v = item.get(a);
                    if (v != null) {
                        projected.put(a, v);
                    }
                }
                item = projected;
            }
            ItemRequests.writeItem(out, "Item", item);
        }
        ItemRequests.writeCapacity(out, capacity, t, ItemRequests.readUnits(item, consistent));
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
