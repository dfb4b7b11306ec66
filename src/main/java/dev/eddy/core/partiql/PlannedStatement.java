package dev.eddy.core.partiql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.model.AttributeValue;
import java.util.Map;

/**
 * A statement turned into the item operation that does its work, with the request body that
 * operation takes (Developer Guide, "PartiQL select statements": a SELECT naming the whole key is a
 * GetItem, one naming the partition key a Query, any other a Scan).
 *
 * @param operation   GetItem, Query, Scan, PutItem, UpdateItem, DeleteItem, or ConditionCheck
 *                    (EXISTS, only inside a transaction)
 * @param request     the operation's request: TableName, Key or Item, the expressions and their
 *                    placeholders; the caller adds the members that come from its own request
 * @param key         the item's primary key for the single-item operations, else null
 * @param insert      an INSERT: a failed condition means the key is taken
 * @param selectList  what a SELECT returns of each item
 * @param globalIndex a read of a global secondary index
 */
public record PlannedStatement(String operation, String tableName, ObjectNode request, Map<String, AttributeValue> key,
                               boolean insert, SelectList selectList, boolean globalIndex) {
    public static final String GET_ITEM = "GetItem";
    public static final String QUERY = "Query";
    public static final String SCAN = "Scan";
    public static final String PUT_ITEM = "PutItem";
    public static final String UPDATE_ITEM = "UpdateItem";
    public static final String DELETE_ITEM = "DeleteItem";
    public static final String CONDITION_CHECK = "ConditionCheck";

    public boolean isRead() {
        return operation.equals(GET_ITEM) || operation.equals(QUERY) || operation.equals(SCAN);
    }

    /** Query and Scan read a page at a time and take Limit and a start key. */
    public boolean isPaged() {
        return operation.equals(QUERY) || operation.equals(SCAN);
    }
}
