package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;

/**
 * Every operation of the registry ({@code Operations}: DynamoDB's and the Streams API's) as a Funqy
 * function: {@code POST /PutItem} with the operation's JSON body, or a CloudEvent whose
 * {@code ce-type} is the operation name, in binary or structured mode. Each dispatches through the
 * same registry as the wire endpoint; errors become DynamoDB error responses in {@link WireEndpoint}.
 * Funqy finds functions at build time, so each is a method here; FunqyCoverageTest fails when an
 * operation is registered without one.
 */
public class OperationFunctions {
    @Inject
    EddyRuntime runtime;
    @Inject
    dev.eddy.functions.security.AccessCheck access;

    @Inject
    OperationMetrics metrics;

    private RawValue run(String operation, JsonNode request) {
        access.admit(operation, request);
        return measured(operation, () -> runtime.eddy().execute(operation, request));
    }

    private RawValue runStreams(String operation, JsonNode request) {
        access.admitStreams(operation, request);
        return measured(operation, () -> runtime.eddy().executeStreams(operation, request));
    }

    private RawValue measured(String operation, java.util.function.Supplier<byte[]> call) {
        long started = System.nanoTime();
        try {
            RawValue result = new RawValue(new String(call.get(), StandardCharsets.UTF_8));
            metrics.record(operation, "function", started, null);
            return result;
        } catch (RuntimeException e) {
            metrics.record(operation, "function", started, WireResponses.answerFor(e).type());
            throw e;
        }
    }

    // --- DynamoDB ---------------------------------------------------------------------------

    @Funq("CreateTable")
    public RawValue createTable(JsonNode request) {
        return run("CreateTable", request);
    }

    @Funq("DescribeTable")
    public RawValue describeTable(JsonNode request) {
        return run("DescribeTable", request);
    }

    @Funq("ListTables")
    public RawValue listTables(JsonNode request) {
        return run("ListTables", request);
    }

    @Funq("UpdateTable")
    public RawValue updateTable(JsonNode request) {
        return run("UpdateTable", request);
    }

    @Funq("DeleteTable")
    public RawValue deleteTable(JsonNode request) {
        return run("DeleteTable", request);
    }

    @Funq("PutItem")
    public RawValue putItem(JsonNode request) {
        return run("PutItem", request);
    }

    @Funq("GetItem")
    public RawValue getItem(JsonNode request) {
        return run("GetItem", request);
    }

    @Funq("UpdateItem")
    public RawValue updateItem(JsonNode request) {
        return run("UpdateItem", request);
    }

    @Funq("DeleteItem")
    public RawValue deleteItem(JsonNode request) {
        return run("DeleteItem", request);
    }

    @Funq("Query")
    public RawValue query(JsonNode request) {
        return run("Query", request);
    }

    @Funq("Scan")
    public RawValue scan(JsonNode request) {
        return run("Scan", request);
    }

    @Funq("BatchGetItem")
    public RawValue batchGetItem(JsonNode request) {
        return run("BatchGetItem", request);
    }

    @Funq("BatchWriteItem")
    public RawValue batchWriteItem(JsonNode request) {
        return run("BatchWriteItem", request);
    }

    @Funq("TagResource")
    public RawValue tagResource(JsonNode request) {
        return run("TagResource", request);
    }

    @Funq("UntagResource")
    public RawValue untagResource(JsonNode request) {
        return run("UntagResource", request);
    }

    @Funq("ListTagsOfResource")
    public RawValue listTagsOfResource(JsonNode request) {
        return run("ListTagsOfResource", request);
    }

    @Funq("DescribeEndpoints")
    public RawValue describeEndpoints(JsonNode request) {
        return run("DescribeEndpoints", request);
    }

    @Funq("DescribeLimits")
    public RawValue describeLimits(JsonNode request) {
        return run("DescribeLimits", request);
    }

    @Funq("DescribeContinuousBackups")
    public RawValue describeContinuousBackups(JsonNode request) {
        return run("DescribeContinuousBackups", request);
    }

    @Funq("UpdateContinuousBackups")
    public RawValue updateContinuousBackups(JsonNode request) {
        return run("UpdateContinuousBackups", request);
    }

    @Funq("CreateBackup")
    public RawValue createBackup(JsonNode request) {
        return run("CreateBackup", request);
    }

    @Funq("DescribeBackup")
    public RawValue describeBackup(JsonNode request) {
        return run("DescribeBackup", request);
    }

    @Funq("ListBackups")
    public RawValue listBackups(JsonNode request) {
        return run("ListBackups", request);
    }

    @Funq("DeleteBackup")
    public RawValue deleteBackup(JsonNode request) {
        return run("DeleteBackup", request);
    }

    @Funq("RestoreTableFromBackup")
    public RawValue restoreTableFromBackup(JsonNode request) {
        return run("RestoreTableFromBackup", request);
    }

    @Funq("DescribeContributorInsights")
    public RawValue describeContributorInsights(JsonNode request) {
        return run("DescribeContributorInsights", request);
    }

    @Funq("ListContributorInsights")
    public RawValue listContributorInsights(JsonNode request) {
        return run("ListContributorInsights", request);
    }

    @Funq("DescribeKinesisStreamingDestination")
    public RawValue describeKinesisStreamingDestination(JsonNode request) {
        return run("DescribeKinesisStreamingDestination", request);
    }

    @Funq("DescribeGlobalTable")
    public RawValue describeGlobalTable(JsonNode request) {
        return run("DescribeGlobalTable", request);
    }

    @Funq("ListGlobalTables")
    public RawValue listGlobalTables(JsonNode request) {
        return run("ListGlobalTables", request);
    }

    @Funq("DescribeTableReplicaAutoScaling")
    public RawValue describeTableReplicaAutoScaling(JsonNode request) {
        return run("DescribeTableReplicaAutoScaling", request);
    }

    @Funq("ListExports")
    public RawValue listExports(JsonNode request) {
        return run("ListExports", request);
    }

    @Funq("ListImports")
    public RawValue listImports(JsonNode request) {
        return run("ListImports", request);
    }

    @Funq("GetResourcePolicy")
    public RawValue getResourcePolicy(JsonNode request) {
        return run("GetResourcePolicy", request);
    }

    @Funq("TransactWriteItems")
    public RawValue transactWriteItems(JsonNode request) {
        return run("TransactWriteItems", request);
    }

    @Funq("TransactGetItems")
    public RawValue transactGetItems(JsonNode request) {
        return run("TransactGetItems", request);
    }

    @Funq("ExecuteStatement")
    public RawValue executeStatement(JsonNode request) {
        return run("ExecuteStatement", request);
    }

    @Funq("BatchExecuteStatement")
    public RawValue batchExecuteStatement(JsonNode request) {
        return run("BatchExecuteStatement", request);
    }

    @Funq("ExecuteTransaction")
    public RawValue executeTransaction(JsonNode request) {
        return run("ExecuteTransaction", request);
    }

    @Funq("UpdateTimeToLive")
    public RawValue updateTimeToLive(JsonNode request) {
        return run("UpdateTimeToLive", request);
    }

    @Funq("DescribeTimeToLive")
    public RawValue describeTimeToLive(JsonNode request) {
        return run("DescribeTimeToLive", request);
    }

    // --- DynamoDB Streams -------------------------------------------------------------------

    @Funq("ListStreams")
    public RawValue listStreams(JsonNode request) {
        return runStreams("ListStreams", request);
    }

    @Funq("DescribeStream")
    public RawValue describeStream(JsonNode request) {
        return runStreams("DescribeStream", request);
    }

    @Funq("GetShardIterator")
    public RawValue getShardIterator(JsonNode request) {
        return runStreams("GetShardIterator", request);
    }

    @Funq("GetRecords")
    public RawValue getRecords(JsonNode request) {
        return runStreams("GetRecords", request);
    }
}
