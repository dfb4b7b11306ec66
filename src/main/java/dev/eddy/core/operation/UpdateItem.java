package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.Prepared;
import dev.eddy.core.api.RequestShape;
import dev.eddy.core.json.JsonMembers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.expression.Condition;
import dev.eddy.core.expression.DocumentPath;
import dev.eddy.core.expression.Expected;
import dev.eddy.core.expression.Expressions;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.expression.Projection;
import dev.eddy.core.expression.Update;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * UpdateItem: an UpdateExpression, or the legacy AttributeUpdates (PUT, DELETE, ADD), applied to
 * the current item (created with its key when absent) if the condition holds, all in one
 * compare-and-set, so concurrent counters add up and conditions see the state they replace.
 */
public final class UpdateItem implements Operation {
    private static final RequestShape SHAPE = RequestShape.of("Key", JsonMembers.ITEM,
            "ExpressionAttributeNames", JsonMembers.NAMES, "ExpressionAttributeValues", JsonMembers.VALUES);

    private final OperationContext context;

    public UpdateItem(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "UpdateItem";
    }

    /** One legacy AttributeUpdates entry; {@code value} is null for a DELETE of the whole attribute. */
    private record Action(String attribute, String action, AttributeValue value) {
    }

    @Override
    public RequestShape shape() {
        return SHAPE;
    }

    @Override
    public Prepared prepare(Request r) {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        Map<String, AttributeValue> keyMap = r.read("Key", JsonMembers.ITEM);
        r.notNull("key", keyMap);
        String returnValues = r.oneOf("ReturnValues", ItemRequests.RETURN_VALUES);
        String capacity = r.oneOf("ReturnConsumedCapacity", ItemRequests.RETURN_CAPACITY);
        String metrics = r.oneOf("ReturnItemCollectionMetrics", ItemRequests.RETURN_METRICS);
        String onFailure = r.oneOf("ReturnValuesOnConditionCheckFailure", ItemRequests.RETURN_ON_CONDITION_FAILURE);
        List<Action> actions = actions(r, r.object("AttributeUpdates"));
        String updateExpression = r.string("UpdateExpression");
        String conditionExpression = r.string("ConditionExpression");
        Map<String, Expected.Expectation> expected = ItemRequests.expected(r);
        String conditionalOperator = r.oneOf("ConditionalOperator", Expected.CONDITIONAL_OPERATORS);
        r.check();
        List<String> expressions = List.of("UpdateExpression", "ConditionExpression");
        ItemRequests.checkParameterStyles(r, expressions, expressions,
                List.of("AttributeUpdates", "Expected"));
        Placeholders placeholders = ItemRequests.placeholders(r, true);
        Update update = updateExpression == null ? null : Expressions.update(updateExpression, placeholders);
        Condition condition = conditionExpression != null ? Expressions.condition(conditionExpression, placeholders)
                : Expected.condition(expected, conditionalOperator);
        placeholders.checkAllUsed();

        List<DocumentPath> written = update != null ? update.paths() : legacyPaths(actions);
        // An update that only takes attributes away does not create a missing item.
        boolean onlyRemoves = update != null ? update.onlyRemoves() : !actions.isEmpty() && legacyOnlyRemoves(actions);
        boolean returnItem = "ALL_OLD".equals(onFailure);
        Deadline deadline = Deadline.of(context, r);
        return continuations -> Tables.forItemsAsync(context, name).thenCompose(t -> {
            PrimaryKey key = ItemKeys.fromKey(t, keyMap);
            for (DocumentPath p : written) {
                if (p.attribute().equals(t.hashKey()) || p.attribute().equals(t.rangeKey())) {
                    throw Errors.keyAttributeUpdate(p.attribute());
                }
            }
            return context.items().writeAsync(t, key,
                    deadline.guard(current -> apply(t, key, current, onlyRemoves, update, actions, condition,
                            returnItem)), continuations)
                    .thenApply(result -> out -> {
                        writeReturnValues(out, returnValues, result, written);
                        ItemRequests.writeCapacity(out, capacity, t,
                                () -> ItemRequests.writeUnits(result.oldItem(), result.newItem()),
                                () -> IndexCapacity.of(t, result.oldItem(), result.newItem()));
                        ItemRequests.writeCollectionMetrics(out, metrics, t, key);
                    });
        });
    }

    /** The item's next state, or the update's error: checked inside the write's compare-and-set. */
    private static Map<String, AttributeValue> apply(TableDefinition t, PrimaryKey key, Map<String, AttributeValue> current,
                                                     boolean onlyRemoves, Update update, List<Action> actions,
                                                     Condition condition, boolean returnItem) {
        if (current == null && onlyRemoves) {
            ItemRequests.checkCondition(condition, current, returnItem);
            return null;
        }
        Map<String, AttributeValue> base = current != null ? current : ItemKeys.keyAttributes(t, key);
        Map<String, AttributeValue> next = null;
        DynamoException notApplicable = null;
        try {
            next = checkUpdated(update != null ? update.apply(base) : applyLegacy(base, actions));
        } catch (DynamoException e) {
            notApplicable = e;
        }
        // A value the table's indexes refuse is a ValidationException even when the condition
        // fails; an update that cannot apply to this item is reported only if the condition holds.
        if (next != null) {
            ItemKeys.checkIndexKeys(t, next);
        }
        ItemRequests.checkCondition(condition, current, returnItem);
        if (notApplicable != null) {
            throw notApplicable;
        }
        return next;
    }

    /** An updated item must stay within 400 KB and the 32 levels of nesting values may have in a request. */
    static Map<String, AttributeValue> checkUpdated(Map<String, AttributeValue> next) {
        if (ItemSize.of(next) > ItemSize.MAX_ITEM_BYTES) {
            throw Errors.updatedItemTooLarge();
        }
        if (ItemSize.nesting(next) > AttributeValueJson.MAX_DEPTH) {
            throw Errors.validation("Nesting Levels have exceeded supported limits");
        }
        return next;
    }

    /**
     * ALL_OLD and ALL_NEW return the whole item before or after; UPDATED_OLD and UPDATED_NEW only
     * what the update wrote, nested paths as nested maps (the item projected on the written paths).
     */
    private static void writeReturnValues(JsonGenerator out, String mode, ItemStore.WriteResult result,
                                          List<DocumentPath> written) throws IOException {
        if (mode == null || "NONE".equals(mode)) {
            return;
        }
        Map<String, AttributeValue> source = mode.endsWith("OLD") ? result.oldItem() : result.newItem();
        if (source == null) {
            return;
        }
        Map<String, AttributeValue> values = mode.startsWith("UPDATED") ? Projection.project(source, written) : source;
        if (!values.isEmpty()) {
            ItemRequests.writeItem(out, "Attributes", values);
        }
    }

    // --- legacy AttributeUpdates --------------------------------------------------------------

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

    private static List<DocumentPath> legacyPaths(List<Action> actions) {
        List<DocumentPath> paths = new ArrayList<>(actions.size());
        for (Action a : actions) {
            paths.add(DocumentPath.of(a.attribute));
        }
        return paths;
    }

    private static boolean legacyOnlyRemoves(List<Action> actions) {
        for (Action a : actions) {
            if (!"DELETE".equals(a.action)) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, AttributeValue> applyLegacy(Map<String, AttributeValue> item, List<Action> actions) {
        Map<String, AttributeValue> next = new LinkedHashMap<>(item);
        for (Action a : actions) {
            apply(next, a);
        }
        return next;
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
                    AttributeValue rest = Update.minus(current, a.value);
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
                    item.put(a.attribute, Update.number(base.add(new BigDecimal(a.value.n()))));
                } else if (isSet(a.value) || a.value.type() == AttributeValue.Type.L) {
                    // Lists take ADD too (appending), undocumented but as DynamoDB does.
                    if (current == null) {
                        item.put(a.attribute, a.value);
                    } else if (current.type() != a.value.type()) {
                        throw Errors.invalidParameter("Type mismatch for attribute to update");
                    } else if (current.type() == AttributeValue.Type.L) {
                        List<AttributeValue> joined = new ArrayList<>(current.l());
                        joined.addAll(a.value.l());
                        item.put(a.attribute, AttributeValue.l(joined));
                    } else {
                        item.put(a.attribute, Update.union(current, a.value));
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
}
