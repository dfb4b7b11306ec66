package dev.eddy.core.partiql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ExecuteTransaction as DynamoDB's transaction APIs: statements that all read become one
 * TransactGetItems, statements that write (and EXISTS checks) one TransactWriteItems, each
 * statement the Get, Put, Update, Delete or ConditionCheck its single-item plan describes.
 */
public final class Transactions {
    public static final String WRITE = "TransactWriteItems";
    public static final String GET = "TransactGetItems";

    private static final Map<String, String> ACTIONS = Map.of(PlannedStatement.GET_ITEM, "Get",
            PlannedStatement.PUT_ITEM, "Put", PlannedStatement.UPDATE_ITEM, "Update",
            PlannedStatement.DELETE_ITEM, "Delete", PlannedStatement.CONDITION_CHECK, "ConditionCheck");

    private Transactions() {
    }

    /** TransactGetItems when every statement reads, else TransactWriteItems. */
    public static String operation(List<PlannedStatement> statements) {
        return statements.stream().allMatch(PlannedStatement::isRead) ? GET : WRITE;
    }

    /**
     * The request of {@link #operation}.
     *
     * @param onConditionFailure each statement's ReturnValuesOnConditionCheckFailure, or null
     * @param clientRequestToken the idempotency token, or null
     * @param capacity           ReturnConsumedCapacity, or null
     */
    public static ObjectNode request(List<PlannedStatement> statements, List<String> onConditionFailure,
                                     String clientRequestToken, String capacity) {
        ObjectNode request = JsonValues.JSON.createObjectNode();
        ArrayNode items = request.putArray("TransactItems");
        for (int i = 0; i < statements.size(); i++) {
            PlannedStatement p = statements.get(i);
            ObjectNode action = p.request().deepCopy();
            // RETURNING is refused in transactions, so no statement asks for ReturnValues here.
            action.remove("ReturnValues");
            if (!p.isRead() && onConditionFailure.get(i) != null) {
                action.put("ReturnValuesOnConditionCheckFailure", onConditionFailure.get(i));
            }
            items.addObject().set(ACTIONS.get(p.operation()), action);
        }
        if (clientRequestToken != null && operation(statements).equals(WRITE)) {
            request.put("ClientRequestToken", clientRequestToken);
        }
        if (capacity != null) {
            request.put("ReturnConsumedCapacity", capacity);
        }
        return request;
    }

    /** ExecuteTransaction's Responses: the item each SELECT read, shaped by its select list; none for writes. */
    public static List<JsonNode> responses(List<PlannedStatement> statements, JsonNode reply) {
        List<JsonNode> responses = new ArrayList<>();
        if (!operation(statements).equals(GET)) {
            return responses;
        }
        JsonNode got = reply.path("Responses");
        for (int i = 0; i < statements.size(); i++) {
            ObjectNode response = JsonValues.JSON.createObjectNode();
            JsonNode item = got.path(i).get("Item");
            if (item != null && !item.isNull()) {
                response.set("Item", statements.get(i).selectList().shape(item));
            }
            responses.add(response);
        }
        return responses;
    }
}
