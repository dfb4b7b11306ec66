package dev.eddy.core.api;

import dev.eddy.core.Eddy;
import dev.eddy.core.error.Errors;
import dev.eddy.core.operation.BatchExecuteStatement;
import dev.eddy.core.operation.BatchGetItem;
import dev.eddy.core.operation.BatchWriteItem;
import dev.eddy.core.operation.CreateBackup;
import dev.eddy.core.operation.CreateTable;
import dev.eddy.core.operation.DeleteBackup;
import dev.eddy.core.operation.DescribeBackup;
import dev.eddy.core.operation.ListBackups;
import dev.eddy.core.operation.RestoreTableFromBackup;
import dev.eddy.core.operation.DeleteItem;
import dev.eddy.core.operation.DeleteTable;
import dev.eddy.core.operation.DescribeTable;
import dev.eddy.core.operation.TagResource;
import dev.eddy.core.operation.UntagResource;
import dev.eddy.core.operation.ListTagsOfResource;
import dev.eddy.core.operation.DescribeEndpoints;
import dev.eddy.core.operation.DescribeLimits;
import dev.eddy.core.operation.DescribeContinuousBackups;
import dev.eddy.core.operation.UpdateContinuousBackups;
import dev.eddy.core.operation.DescribeContributorInsights;
import dev.eddy.core.operation.ListContributorInsights;
import dev.eddy.core.operation.DescribeKinesisStreamingDestination;
import dev.eddy.core.operation.DescribeGlobalTable;
import dev.eddy.core.operation.ListGlobalTables;
import dev.eddy.core.operation.DescribeTableReplicaAutoScaling;
import dev.eddy.core.operation.ListExports;
import dev.eddy.core.operation.ListImports;
import dev.eddy.core.operation.GetResourcePolicy;
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
                new TransactWriteItems(eddy), new TransactGetItems(eddy),
                new TagResource(eddy), new UntagResource(eddy), new ListTagsOfResource(eddy),
                new DescribeEndpoints(eddy), new DescribeLimits(eddy),
                new DescribeContinuousBackups(eddy), new UpdateContinuousBackups(eddy),
                new CreateBackup(eddy), new DescribeBackup(eddy), new ListBackups(eddy), new DeleteBackup(eddy),
                new RestoreTableFromBackup(eddy),
                // features Eddy does not have, answered as for a table that does not use them
                new DescribeContributorInsights(eddy), new ListContributorInsights(eddy),
                new DescribeKinesisStreamingDestination(eddy), new DescribeGlobalTable(eddy),
                new ListGlobalTables(eddy), new DescribeTableReplicaAutoScaling(eddy), new ListExports(eddy),
                new ListImports(eddy), new GetResourcePolicy(eddy))) {
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
