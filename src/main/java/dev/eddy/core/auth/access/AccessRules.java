package dev.eddy.core.auth.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.auth.policy.AccessRequest;
import java.util.List;
import java.util.Map;

/**
 * Every operation's {@link OperationAccess}, by name: the DynamoDB API and, apart, the DynamoDB
 * Streams API. An operation missing here is refused to restricted callers (an unknown action is
 * allowed only by a policy that allows every action), so a new operation cannot slip past policies.
 */
public final class AccessRules {
    private static final Map<String, OperationAccess> DYNAMODB = Map.ofEntries(
            Map.entry("CreateTable", TableAccess.onTable("CreateTable")),
            Map.entry("DescribeTable", TableAccess.onTable("DescribeTable")),
            Map.entry("UpdateTable", TableAccess.onTable("UpdateTable")),
            Map.entry("DeleteTable", TableAccess.onTable("DeleteTable")),
            Map.entry("ListTables", TableAccess::listTables),
            Map.entry("UpdateTimeToLive", TableAccess.onTable("UpdateTimeToLive")),
            Map.entry("DescribeTimeToLive", TableAccess.onTable("DescribeTimeToLive")),
            Map.entry("GetItem", ItemAccess::getItem),
            Map.entry("PutItem", ItemAccess::putItem),
            Map.entry("UpdateItem", ItemAccess::updateItem),
            Map.entry("DeleteItem", ItemAccess::deleteItem),
            Map.entry("Query", ReadAccess::query),
            Map.entry("Scan", ReadAccess::scan),
            Map.entry("BatchGetItem", BatchAccess::batchGetItem),
            Map.entry("BatchWriteItem", BatchAccess::batchWriteItem),
            Map.entry("TransactWriteItems", TransactionAccess::transactWriteItems),
            Map.entry("TransactGetItems", TransactionAccess::transactGetItems),
            Map.entry("ExecuteStatement", PartiqlAccess::executeStatement),
            Map.entry("BatchExecuteStatement", PartiqlAccess::batchExecuteStatement),
            Map.entry("ExecuteTransaction", PartiqlAccess::executeTransaction));
    private static final Map<String, OperationAccess> STREAMS = Map.of(
            "ListStreams", StreamAccess::listStreams,
            "DescribeStream", StreamAccess.onStreamArn("DescribeStream"),
            "GetShardIterator", StreamAccess.onStreamArn("GetShardIterator"),
            "GetRecords", StreamAccess::getRecords);

    private AccessRules() {
    }

    /** What a DynamoDB operation (or, with {@code streams}, a Streams one) does, as IAM sees it. */
    public static List<AccessRequest> of(boolean streams, String operation, JsonNode request, AccessContext context) {
        OperationAccess rule = (streams ? STREAMS : DYNAMODB).get(operation);
        if (rule == null) {
            return List.of(Facts.of(operation, "*", context).build());
        }
        return rule.of(request, context);
    }
}
