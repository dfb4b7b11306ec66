package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.Eddy;
import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.Map;

/** DeleteItem: removes one item by key; deleting a missing item succeeds and changes nothing. */
public final class DeleteItem implements Operation {
    private final Eddy eddy;

    public DeleteItem(Eddy eddy) {
        this.eddy = eddy;
    }

    @Override
    public String name() {
        return "DeleteItem";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        Map<String, AttributeValue> keyMap = ItemRequests.map(r, "Key");
        r.notNull("key", keyMap);
        String returnValues = r.string("ReturnValues");
        r.oneOf("returnValues", returnValues, ItemRequests.RETURN_VALUES);
        String capacity = r.string("ReturnConsumedCapacity");
        r.oneOf("returnConsumedCapacity", capacity, ItemRequests.RETURN_CAPACITY);
        r.oneOf("returnItemCollectionMetrics", r.string("ReturnItemCollectionMetrics"), ItemRequests.RETURN_METRICS);
        r.check();
        if (returnValues != null && !"NONE".equals(returnValues) && !"ALL_OLD".equals(returnValues)) {
            throw Errors.constraintViolations(java.util.List.of("ReturnValues can only be ALL_OLD or NONE"));
        }
        ItemRequests.refuseExpressions(r);

        TableDefinition t = Tables.forItems(eddy, name);
        ItemStore.WriteResult result = eddy.items().write(t, ItemKeys.fromKey(t, keyMap), current -> null);
        if ("ALL_OLD".equals(returnValues) && result.oldItem() != null) {
            ItemRequests.writeItem(out, "Attributes", result.oldItem());
        }
        ItemRequests.writeCapacity(out, capacity, t, ItemRequests.writeUnits(result.oldItem(), null));
    }
}
