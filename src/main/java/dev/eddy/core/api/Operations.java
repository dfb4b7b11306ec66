package dev.eddy.core.api;

import dev.eddy.core.Eddy;
import dev.eddy.core.error.Errors;
import dev.eddy.core.operation.BatchExecuteStatement;
import dev.eddy.core.operation.BatchGetItem;
import dev.eddy.core.operation.BatchWriteItem;
import dev.eddy.core.operation.CreateTable;
import dev.eddy.core.operation.DeleteItem;
import dev.eddy.core.operation.DeleteTable;
import dev.eddy.core.operation.DescribeTable;
import dev.eddy.core.operation.DescribeTimeToLive;
import dev.eddy.core.operation.ExecuteStatement;
import dev.eddy.core.operation.ExecuteTransaction;
import dev.eddy.core.operation.GetItem;
import dev.eddy.core.operation.ListTables;
import dev.eddy.core.operation.PutItem;
import dev.eddy.core.operation.Query;
import dev.eddy.core.operation.Scan;
import dev.eddy.core.operation.UpdateItem;
import dev.eddy.core.operation.TransactGetItems;
import dev.eddy.core.operation.TransactWriteItems;
import dev.eddy.core.operation.UpdateTable;
import dev.eddy.core.operation.UpdateTimeToLive;
import dev.eddy.core.operation.streams.DescribeStream;
import dev.eddy.core.operation.streams.GetRecords;
import dev.eddy.core.operation.streams.GetShardIterator;
import dev.eddy.core.operation.streams.ListStreams;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one registry of operations, by name. */
public final class Operations {
    private final Map<String, Operation> byName = new LinkedHashMap<>();
    /** The DynamoDB Streams API, a service of its own on the same endpoint. */
    private final Map<String, Operation> streams = new LinkedHashMap<>();

    public Operations(Eddy eddy) {
        for (Operation op : List.of(
                new CreateTable(eddy), new DescribeTable(eddy), new ListTables(eddy), new UpdateTable(eddy),
                new DeleteTable(eddy),
                new PutItem(eddy), new GetItem(eddy), new UpdateItem(eddy), new DeleteItem(eddy),
                new BatchGetItem(eddy), new BatchWriteItem(eddy),
                new ExecuteStatement(eddy), new BatchExecuteStatement(eddy), new ExecuteTransaction(eddy),
                new Query(eddy), new Scan(eddy),
                new UpdateTimeToLive(eddy), new DescribeTimeToLive(eddy),
                new TransactWriteItems(eddy), new TransactGetItems(eddy))) {
            byName.put(op.name(), op);
        }
        for (Operation op : List.of(new ListStreams(eddy), new DescribeStream(eddy), new GetShardIterator(eddy),
                new GetRecords(eddy))) {
            streams.put(op.name(), op);
        }
    }

    public Operation findStreams(String name) {
        Operation op = streams.get(name);
        if (op == null) {
            throw Errors.unknownOperation();
        }
        return op;
    }

    public Operation find(String name) {
        Operation op = byName.get(name);
        if (op == null) {
            throw Errors.unknownOperation();
        }
        return op;
    }

    public Collection<Operation> all() {
        return byName.values();
    }

    /** The DynamoDB Streams API's operations. */
    public Collection<Operation> streamsOperations() {
        return streams.values();
    }
}
