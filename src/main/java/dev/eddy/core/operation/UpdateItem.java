package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.Eddy;
import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.Numbers;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * UpdateItem in its plain form: AttributeUpdates with PUT, DELETE and ADD, applied to the current
 * item (created with its key when absent) in one compare-and-set, so concurrent ADDs add up.
 */
public final class UpdateItem implements Operation {
    private final Eddy eddy;

    public UpdateItem(Eddy eddy) {
        this.eddy = eddy;
    }

    @Override
    public String name() {
        return "UpdateItem";
    }

    private record Action(String attribute, String action, AttributeValue value) {
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
        List<Action> actions = actions(r, r.object("AttributeUpdates"));
        r.check();
        ItemRequests.refuseExpressions(r);

        TableDefinition t = Tables.forItems(eddy, name);
        PrimaryKey key = ItemKeys.fromKey(t, keyMap);
        for (Action a : actions) {
            if (a.attribute.equals(t.hashKey()) || a.attribute.equals(t.rangeKey())) {
                throw Errors.invalidParameter("Cannot update attribute " + a.attribute
                        + ". This attribute is part of the key");
            }
        }
        ItemStore.WriteResult result = eddy.items().write(t, key, current -> {
            Map<String, AttributeValue> next = current == null
                    ? new LinkedHashMap<>(ItemKeys.keyAttributes(t, key)) : new LinkedHashMap<>(current);
            for (Action a : actions) {
                apply(next, a);
            }
            ItemRequests.checkSize(next);
            return next;
        });

        writeReturnValues(out, returnValues, result, actions);
        ItemRequests.writeCapacity(out, capacity, t, ItemRequests.writeUnits(result.oldItem(), result.newItem()));
    }

    private static List<Action> actions(Request r, JsonNode updates) {
        List<Action> actions = new ArrayList<>();
        if (updates == null) {
            return actions;
        }
        Iterator<Map.Entry<String, JsonNode>> it = updates.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode update = e.getValue();
            if (!update.isObject()) {
                throw Errors.serialization(AttributeValueJson.wrongShape(update, "a structure"));
            }
            String action = Request.string(update, "Action");
            r.oneOf("attributeUpdates." + e.getKey() + ".member.action", action, List.of("ADD", "PUT", "DELETE"));
            JsonNode valueNode = Request.object(update, "Value");
            AttributeValue value = valueNode == null ? null : AttributeValueJson.read(valueNode, 0);
            String effective = action == null ? "PUT" : action;
            if (value == null && !"DELETE".equals(effective)) {
                throw Errors.invalidParameter("Only DELETE action is allowed when no attribute value is specified");
            }
            actions.add(new Action(e.getKey(), effective, value));
        }
        return actions;
    }

    private static void apply(Map<String, AttributeValue> item, Action a) {
        AttributeValue current = item.get(a.attribute);
        switch (a.action) {
            case "PUT" -> item.put(a.attribute, a.value);
            case "DELETE" -> {
                if (a.value == null) {
                    item.remove(a.attribute);
                } else {
                    if (!isSet(a.value)) {
                        throw Errors.invalidParameter("DELETE action with value is not supported for the type "
                                + a.value.type().longName());
                    }
                    if (current == null) {
                        return;
                    }
                    if (current.type() != a.value.type()) {
                        throw Errors.invalidParameter("Type mismatch for attribute to update");
                    }
                    AttributeValue rest = setMinus(current, a.value);
                    if (rest == null) {
                        item.remove(a.attribute);
                    } else {
                        item.put(a.attribute, rest);
                    }
                }
            }
            default -> { // ADD
                if (a.value.type() == AttributeValue.Type.N) {
                    if (current != null && current.type() != AttributeValue.Type.N) {
                        throw Errors.invalidParameter("Type mismatch for attribute to update");
                    }
                    BigDecimal base = current == null ? BigDecimal.ZERO : new BigDecimal(current.n());
                    BigDecimal sum = Numbers.checkRange(base.add(new BigDecimal(a.value.n())));
                    item.put(a.attribute, AttributeValue.n(Numbers.canonicalText(sum)));
                } else if (isSet(a.value)) {
                    if (current == null) {
                        item.put(a.attribute, a.value);
                    } else if (current.type() != a.value.type()) {
                        throw Errors.invalidParameter("Type mismatch for attribute to update");
                    } else {
                        item.put(a.attribute, setUnion(current, a.value));
                    }
                } else {
                    throw Errors.invalidParameter("ADD action is not supported for the type " + a.value.type().longName());
                }
            }
        }
    }

    private static boolean isSet(AttributeValue v) {
        return v.type() == AttributeValue.Type.SS || v.type() == AttributeValue.Type.NS
                || v.type() == AttributeValue.Type.BS;
    }

    static AttributeValue setUnion(AttributeValue a, AttributeValue b) {
        return switch (a.type()) {
            case SS -> AttributeValue.ss(union(a.ss(), b.ss()));
            case NS -> AttributeValue.ns(union(a.ns(), b.ns()));
            default -> {
                List<byte[]> out = new ArrayList<>(a.bs());
                Set<AttributeValue.ByteString> seen = new HashSet<>();
                for (byte[] m : a.bs()) {
                    seen.add(new AttributeValue.ByteString(m));
                }
                for (byte[] m : b.bs()) {
                    if (seen.add(new AttributeValue.ByteString(m))) {
                        out.add(m);
                    }
                }
                yield AttributeValue.bs(out);
            }
        };
    }

    private static List<String> union(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        Set<String> seen = new HashSet<>(a);
        for (String m : b) {
            if (seen.add(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /** The set without b's members, or null when nothing is left (DynamoDB removes empty sets). */
    static AttributeValue setMinus(AttributeValue a, AttributeValue b) {
        switch (a.type()) {
            case SS, NS -> {
                List<String> members = a.type() == AttributeValue.Type.SS ? a.ss() : a.ns();
                Set<String> drop = new HashSet<>(b.type() == AttributeValue.Type.SS ? b.ss() : b.ns());
                List<String> out = new ArrayList<>();
                for (String m : members) {
                    if (!drop.contains(m)) {
                        out.add(m);
                    }
                }
                return out.isEmpty() ? null
                        : a.type() == AttributeValue.Type.SS ? AttributeValue.ss(out) : AttributeValue.ns(out);
            }
            default -> {
                Set<AttributeValue.ByteString> drop = new HashSet<>();
                for (byte[] m : b.bs()) {
                    drop.add(new AttributeValue.ByteString(m));
                }
                List<byte[]> out = new ArrayList<>();
                for (byte[] m : a.bs()) {
                    if (!drop.contains(new AttributeValue.ByteString(m))) {
                        out.add(m);
                    }
                }
                return out.isEmpty() ? null : AttributeValue.bs(out);
            }
        }
    }

    private static void writeReturnValues(JsonGenerator out, String mode, ItemStore.WriteResult result,
                                          List<Action> actions) throws IOException {
        if (mode == null || "NONE".equals(mode)) {
            return;
        }
        Map<String, AttributeValue> source = switch (mode) {
            case "ALL_OLD", "UPDATED_OLD" -> result.oldItem();
            default -> result.newItem();
        };
        if (source == null) {
            return;
        }
        Map<String, AttributeValue> values = source;
        if (mode.startsWith("UPDATED")) {
            values = new LinkedHashMap<>();
            for (Action a : actions) {
                AttributeValue v = source.get(a.attribute);
                if (v != null) {
                    values.put(a.attribute, v);
                }
            }
        }
        if (!values.isEmpty()) {
            ItemRequests.writeItem(out, "Attributes", values);
        }
    }
}
