package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;

/**
 * Every DynamoDB operation as a Funqy function: {@code POST /PutItem} with the operation's JSON
 * body, or a CloudEvent whose {@code ce-type} is the operation name. Each one dispatches through
 * the same operation registry as the wire endpoint; errors are turned into DynamoDB error
 * responses by {@link WireEndpoint}.
 */
public class OperationFunctions {
    @Inject
    EddyRuntime runtime;
    @Inject
    dev.eddy.functions.security.AccessCheck access;

    private RawValue run(String operation, JsonNode request) {
        access.admit(operation, request);
        return new RawValue(new String(runtime.eddy().execute(operation, request), StandardCharsets.UTF_8));
    }

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

    @Funq("Query")
    public RawValue query(JsonNode request) {
        return run("Query", request);
    }

    @Funq("Scan")
    public RawValue scan(JsonNode request) {
        return run("Scan", request);
    }

    @Funq("DeleteItem")
    public RawValue deleteItem(JsonNode request) {
        return run("DeleteItem", request);
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
}
