package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.expression.Expressions;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Query: the items of one partition, in sort-key order forward or backward, within a sort-key
 * range, a page at a time. The walk starts at the range's near end (or after ExclusiveStartKey)
 * and stops at its far end or when the page is full, so a Query costs the pages it returns.
 */
public final class Query implements BlockingOperation {
    private static final List<String> RANGE_OPERATORS = List.of("EQ", "LE", "LT", "GE", "GT", "BEGINS_WITH", "BETWEEN");

    private final OperationContext context;

    public Query(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "Query";
    }

    /** The partition to read and the sort-key range within it. */
    record KeyCondition(AttributeValue hash, SortKeyRange range) {
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        String indexName = r.string("IndexName");
        r.name("indexName", indexName, false);
        String select = r.oneOf("Select", ReadRequests.SELECT);
        Integer limit = ReadRequests.limit(r);
        Boolean consistentRead = r.bool("ConsistentRead");
        Boolean forwardParam = r.bool("ScanIndexForward");
        String capacity = r.oneOf("ReturnConsumedCapacity", ItemRequests.RETURN_CAPACITY);
        Set<String> attributesToGet = GetItem.attributesToGet(r);
        JsonNode keyConditions = r.object("KeyConditions");
        Map<String, AttributeValue> startKey = ItemRequests.map(r, "ExclusiveStartKey");
        r.check();
        ItemRequests.checkParameterStyles(r, List.of("ProjectionExpression", "FilterExpression", "KeyConditionExpression"),
                List.of("FilterExpression", "KeyConditionExpression"),
                List.of("AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"));
        Placeholders placeholders = ItemRequests.placeholders(r, true);
        String keyConditionText = r.string("KeyConditionExpression");
        ReadRequests.Shaping shaping = ReadRequests.shaping(r, placeholders, "QueryFilter", attributesToGet);
        ReadRequests.checkSelect(select, shaping.projected(), indexName);
        if (keyConditions == null && keyConditionText == null) {
            throw Errors.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified "
                    + "in the request.");
        }

        TableDefinition t = Tables.forItems(context, name);
        ReadTarget target = ReadTarget.of(t, indexName);
        ReadRequests.checkPaths(t, indexName, shaping, !r.planned());
        target.checkRead(consistentRead, select);
        String hashKey = target.hashKey();
        String rangeKey = target.rangeKey();
        KeyCondition condition;
        if (keyConditionText != null) {
            dev.eddy.core.expression.KeyCondition parsed = Expressions.keyCondition(keyConditionText, placeholders,
                    new dev.eddy.core.expression.KeyCondition.Schema(hashKey, t.attributeType(hashKey),
                            rangeKey, rangeKey == null ? null : t.attributeType(rangeKey)));
            dev.eddy.core.expression.KeyCondition.SortKey sk = parsed.sortKey();
            condition = new KeyCondition(parsed.partitionValue(),
                    sk == null ? SortKeyRange.ALL : new SortKeyRange(sk.operator(), sk.first(), sk.second()));
        } else {
            condition = legacyKeyConditions(t, hashKey, rangeKey, keyConditions);
        }
        placeholders.checkAllUsed();
        Map<String, AttributeValue> start = target.startKey(startKey);
        if (start != null && !start.get(hashKey).equals(condition.hash())) {
            throw Errors.validation("The provided starting key is invalid: Exclusive start key must have same hash "
                    + "key value as the query");
        }
        if (start != null && rangeKey != null && !condition.range().contains(start.get(rangeKey))) {
            throw Errors.validation("The provided starting key does not match the range key predicate");
        }
        boolean forward = forwardParam == null || forwardParam;
        boolean consistent = Boolean.TRUE.equals(consistentRead);
        ReadPage page = new ReadPage(target.keyAttributes(), limit,
                shaping.filter() == null ? null : shaping.filter()::matches, shaping.projection(), "COUNT".equals(select));
        target.query(context, condition.hash(), condition.range(), start, forward, consistent,
                "ALL_ATTRIBUTES".equals(select) || shaping.projected(), page::offer);
        page.write(out);
        ItemRequests.writeCapacity(out, capacity, t, () -> page.readUnits(consistent));
    }

    /**
     * The legacy KeyConditions: EQ on the partition key, and one of EQ LE LT GE GT BEGINS_WITH
     * BETWEEN on the sort key, with values of the key's type.
     */
    static KeyCondition legacyKeyConditions(TableDefinition t, String hashKey, String rangeKey, JsonNode conditions) {
        AttributeValue hash = null;
        SortKeyRange range = SortKeyRange.ALL;
        Iterator<Map.Entry<String, JsonNode>> it = conditions.fields();
        if (conditions.size() > 2 || conditions.size() == 0) {
            throw Errors.validation("Conditions can be of length 1 or 2 only");
        }
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String attribute = e.getKey();
            JsonNode c = e.getValue();
            if (!c.isObject()) {
                throw Errors.serialization(AttributeValueJson.wrongShape(c, "Condition"));
            }
            String op = Request.string(c, "ComparisonOperator");
            JsonNode list = Request.list(c, "AttributeValueList");
            List<AttributeValue> values = new ArrayList<>();
            if (list != null) {
                for (JsonNode v : list) {
                    values.add(AttributeValueJson.read(v, 0, false));
                }
            }
            if (op == null) {
                throw Errors.constraintViolations(List.of(Errors.violation("null",
                        "keyConditions." + attribute + ".member.comparisonOperator", "Member must not be null")));
            }
            boolean isHash = attribute.equals(hashKey);
            boolean isRange = attribute.equals(rangeKey);
            if (!isHash && !isRange) {
                throw Errors.validation("Query condition missed key schema element: " + hashKey);
            }
            String keyType = t.attributeType(attribute);
            int expected = "BETWEEN".equals(op) ? 2 : 1;
            if (values.size() != expected) {
                throw Errors.invalidParameter("Invalid number of argument(s) for the " + op + " ComparisonOperator");
            }
            for (AttributeValue v : values) {
                if (!v.type().name().equals(keyType)) {
                    throw Errors.invalidParameter("Condition parameter type does not match schema type");
                }
            }
            if (isHash) {
                if (!"EQ".equals(op)) {
                    throw Errors.validation("Query key condition not supported");
                }
                hash = values.get(0);
            } else {
                if (!RANGE_OPERATORS.contains(op) || ("BEGINS_WITH".equals(op) && "N".equals(keyType))) {
                    throw Errors.validation("Query key condition not supported");
                }
                if ("BETWEEN".equals(op) && dev.eddy.core.model.KeyOrder.INSTANCE.compare(values.get(0), values.get(1)) > 0) {
                    throw Errors.validation("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to "
                            + "be greater than or equal to lower bound");
                }
                range = new SortKeyRange(op, values.get(0), values.size() > 1 ? values.get(1) : null);
            }
        }
        if (hash == null) {
            throw Errors.validation("Query condition missed key schema element: " + hashKey);
        }
        return new KeyCondition(hash, range);
    }
}
