package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.expression.Expressions;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.expression.Projection;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TransactGetItems: up to 100 items read as one serializable snapshot. Every item is read with its
 * page's sequence number and lock, then all are read again; if any changed in between, the reads
 * are repeated, so the answer is the state of all items at one moment. An item held by a transaction
 * in flight cancels the read with TransactionConflict, as in DynamoDB.
 */
public final class TransactGetItems implements BlockingOperation {
    private static final int MAX_ATTEMPTS = 50;
    private final OperationContext context;

    public TransactGetItems(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "TransactGetItems";
    }

    private record Get(TableDefinition table, PrimaryKey key, Projection projection) {
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        JsonNode members = r.list("TransactItems");
        if (r.notNull("transactItems", members)) {
            r.range("transactItems", (long) members.size(), 1, 100);
        }
        String capacity = r.oneOf("ReturnConsumedCapacity", ItemRequests.RETURN_CAPACITY);
        r.check();
        List<Get> gets = new ArrayList<>();
        Set<TransactWriteItems.ItemRef> items = new HashSet<>();
        for (JsonNode member : members) {
            JsonNode get = member.isObject() ? Request.object(member, "Get") : null;
            if (get == null) {
                throw Errors.validation("TransactItems can only contain Get");
            }
            Request g = new Request(get);
            String name = g.string("TableName");
            g.name("tableName", name, true);
            Map<String, AttributeValue> keyMap = ItemRequests.map(g, "Key");
            g.notNull("key", keyMap);
            String projectionText = g.string("ProjectionExpression");
            g.check();
            Placeholders placeholders = ItemRequests.placeholders(g, false);
            Projection projection = projectionText == null ? null : Expressions.projection(projectionText, placeholders);
            placeholders.checkAllUsed();
            TableDefinition t = Tables.forItems(context, name);
            PrimaryKey key = ItemKeys.fromKey(t, keyMap);
            if (!items.add(new TransactWriteItems.ItemRef(t.tableName(), key))) {
                throw Errors.transactionDuplicateItem();
            }
            gets.add(new Get(t, key, projection));
        }

        List<ItemStore.Stored> snapshot = read(gets);
        out.writeArrayFieldStart("Responses");
        for (int i = 0; i < gets.size(); i++) {
            Map<String, AttributeValue> item = snapshot.get(i).item();
            out.writeStartObject();
            if (item != null) {
                Projection p = gets.get(i).projection();
                ItemRequests.writeItem(out, "Item", p == null ? item : p.project(item));
            }
            out.writeEndObject();
        }
        out.writeEndArray();
        if (capacity != null && !"NONE".equals(capacity)) {
            double units = 0;
            for (ItemStore.Stored s : snapshot) {
                units += 2 * ItemRequests.readUnits(s.item(), true);
            }
            out.writeArrayFieldStart("ConsumedCapacity");
            out.writeStartObject();
            out.writeStringField("TableName", gets.get(0).table().tableName());
            out.writeNumberField("CapacityUnits", units);
            out.writeNumberField("ReadCapacityUnits", units);
            out.writeEndObject();
            out.writeEndArray();
        }
    }

    /**
     * Reads every item twice (a double collect): when no item's page sequence and no item's lock
     * changed between the two passes, nothing a reader can see changed, so the first pass is the
     * state of all items at one moment between them. A lock counts as a change because a
     * transaction that locked an item after the first pass may have committed since (its image
     * then shows without a new sequence number, until someone applies it).
     */
    private List<ItemStore.Stored> read(List<Get> gets) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            List<ItemStore.Stored> first = readAll(gets);
            boolean stable = true;
            for (int i = 0; i < gets.size() && stable; i++) {
                Get g = gets.get(i);
                ItemStore.Stored again = context.items().readWithSequence(g.table(), g.key());
                stable = again.sequence() == first.get(i).sequence()
                        && java.util.Objects.equals(lockId(again), lockId(first.get(i)));
            }
            if (stable) {
                return first;
            }
        }
        throw Errors.transactionCanceled(gets.stream().map(g -> new DynamoException.CancellationReason(
                "TransactionConflict", "Transaction is ongoing for the item", null)).toList());
    }

    private static String lockId(ItemStore.Stored stored) {
        return stored.lock() == null ? null : stored.lock().transactionId();
    }

    private List<ItemStore.Stored> readAll(List<Get> gets) {
        List<ItemStore.Stored> out = new ArrayList<>();
        List<DynamoException.CancellationReason> reasons = new ArrayList<>();
        boolean conflict = false;
        for (Get g : gets) {
            ItemStore.Stored s = context.items().readWithSequence(g.table(), g.key());
            boolean held = s.held();
            conflict |= held;
            reasons.add(held ? new DynamoException.CancellationReason("TransactionConflict",
                    "Transaction is ongoing for the item", null) : new DynamoException.CancellationReason("None", null, null));
            out.add(s);
        }
        if (conflict) {
            throw Errors.transactionCanceled(reasons);
        }
        return out;
    }
}
