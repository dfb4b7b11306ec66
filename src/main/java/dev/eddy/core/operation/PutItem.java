package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.Eddy;
import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.Map;

/** PutItem: creates or replaces a whole item. */
public final class PutItem implements Operation {
    private final Eddy eddy;

    public PutItem(Eddy eddy) {
        this.eddy = eddy;
    }

    @Override
    public String name() {
        return "PutItem";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        Map<String, AttributeValue> item = ItemRequests.map(r, "Item");
        r.notNull("item", item);
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
        PrimaryKey key = ItemKeys.fromItem(t, item);
        ItemRequests.checkSize(item);
        ItemStore.WriteResult result = eddy.items().write(t, key, current -> item);

        if ("ALL_OLD".equals(returnValues) && result.oldItem() != null) {
            ItemRequests.writeItem(out, "Attributes", result.oldItem());
        }
        ItemRequests.writeCapacity(out, capacity, t, ItemRequests.writeUnits(result.oldItem(), item));
    }
}
