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
}
