package dev.eddy.core.operation;

import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Prepared;
import dev.eddy.core.api.RequestShape;
import dev.eddy.core.json.JsonMembers;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.expression.Condition;
import dev.eddy.core.expression.Expected;
import dev.eddy.core.expression.Expressions;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.util.List;
import java.util.Map;

/**
 * PutItem: creates or replaces a whole item, if its condition (ConditionExpression, or the legacy
 * Expected) holds for the item it replaces.
 */
public final class PutItem implements Operation {
    private static final RequestShape SHAPE = RequestShape.of("Item", JsonMembers.ITEM,
            "ExpressionAttributeNames", JsonMembers.NAMES, "ExpressionAttributeValues", JsonMembers.VALUES);

    private final OperationContext context;

    public PutItem(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "PutItem";
    }

    @Override
    public RequestShape shape() {
        return SHAPE;
    }

    @Override
    public Prepared prepare(Request r) {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        Map<String, AttributeValue> item = r.read("Item", JsonMembers.ITEM);
        r.notNull("item", item);
        String returnValues = r.oneOf("ReturnValues", ItemRequests.RETURN_VALUES);
        String capacity = r.oneOf("ReturnConsumedCapacity", ItemRequests.RETURN_CAPACITY);
        String metrics = r.oneOf("ReturnItemCollectionMetrics", ItemRequests.RETURN_METRICS);
        String onFailure = r.oneOf("ReturnValuesOnConditionCheckFailure", ItemRequests.RETURN_ON_CONDITION_FAILURE);
        String conditionExpression = r.string("ConditionExpression");
        Map<String, Expected.Expectation> expected = ItemRequests.expected(r);
        String conditionalOperator = r.oneOf("ConditionalOperator", Expected.CONDITIONAL_OPERATORS);
        r.check();
        if (returnValues != null && !"NONE".equals(returnValues) && !"ALL_OLD".equals(returnValues)) {
            throw Errors.constraintViolations(List.of("ReturnValues can only be ALL_OLD or NONE"));
        }
        ItemRequests.checkParameterStyles(r, List.of("ConditionExpression"), List.of("ConditionExpression"),
                List.of("Expected"));
        Placeholders placeholders = ItemRequests.placeholders(r, true);
        Condition condition = conditionExpression != null ? Expressions.condition(conditionExpression, placeholders)
                : Expected.condition(expected, conditionalOperator);
        placeholders.checkAllUsed();

        boolean returnItem = "ALL_OLD".equals(onFailure);
        Deadline deadline = Deadline.of(context, r);
        return continuations -> Tables.forItemsAsync(context, name).thenCompose(t -> {
            PrimaryKey key = ItemKeys.fromItem(t, item);
            ItemRequests.checkSize(item);
            // DynamoDB validates the item before it evaluates the condition.
            ItemKeys.checkIndexKeys(t, item);
            return context.items().writeAsync(t, key, deadline.guard(current -> {
                ItemRequests.checkCondition(condition, current, returnItem);
                return item;
            }), continuations).thenApply(result -> out -> {
                if ("ALL_OLD".equals(returnValues) && result.oldItem() != null) {
                    ItemRequests.writeItem(out, "Attributes", result.oldItem());
                }
                ItemRequests.writeCapacity(out, capacity, t, () -> ItemRequests.writeUnits(result.oldItem(), item),
                        () -> IndexCapacity.of(t, result.oldItem(), result.newItem()));
                ItemRequests.writeCollectionMetrics(out, metrics, t, key);
            });
        });
    }
}
