package dev.eddy.core.operation;

import dev.eddy.core.api.Operation;
import dev.eddy.core.auth.access.BatchAccess;
import dev.eddy.core.auth.access.ItemAccess;
import dev.eddy.core.auth.access.OperationAccess;
import dev.eddy.core.auth.access.PartiqlAccess;
import dev.eddy.core.auth.access.ReadAccess;
import dev.eddy.core.auth.access.StreamAccess;
import dev.eddy.core.auth.access.TableAccess;
import dev.eddy.core.auth.access.TransactionAccess;
import dev.eddy.core.error.Errors;
import dev.eddy.core.operation.streams.DescribeStream;
import dev.eddy.core.operation.streams.GetRecords;
import dev.eddy.core.operation.streams.GetShardIterator;
import dev.eddy.core.operation.streams.ListStreams;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one registry of operations, by name, with what each is: whether its run may complete on the
 * event loop that received it (it never waits: the near cache answers at once, the Hot Rod async API
 * otherwise), the IAM facts a policy is checked against, and whether it belongs to the DynamoDB
 * Streams API (a service of its own on the same endpoint). Every operation is also a Funqy function
 * and a CloudEvent type of the same name (FunqyCoverageTest holds the functions to this list).
 */
public final class Operations {
    /** How an operation's run step treats the thread that starts it. */
    public enum Execution {
        /** Never waits: may start and complete on an event loop. */
        NON_BLOCKING,
        /** Waits on the servers: started where waiting is allowed (a worker). */
        BLOCKING
    }

    /**
     * One operation and its properties.
     *
     * @param access the IAM actions, resources and condition keys of a request; null: the operation
     *               is checked as its action on every resource ("*")
     */
    public record Registered(Operation operation, Execution execution, OperationAccess access, boolean streams) {
        public String name() {
            return operation.name();
        }

        public boolean mayCompleteOnEventLoop() {
            return execution == Execution.NON_BLOCKING;
        }
    }

    private final Map<String, Registered> byName = new LinkedHashMap<>();
    /** The DynamoDB Streams API. */
    private final Map<String, Registered> streams = new LinkedHashMap<>();

    public Operations(OperationContext c) {
        Execution waits = Execution.BLOCKING;
        Execution never = Execution.NON_BLOCKING;
        add(new CreateTable(c), waits, TableAccess.onTable("CreateTable"));
        add(new DescribeTable(c), waits, TableAccess.onTable("DescribeTable"));
        add(new ListTables(c), waits, TableAccess::listTables);
        add(new UpdateTable(c), waits, TableAccess.onTable("UpdateTable"));
        add(new DeleteTable(c), waits, TableAccess.onTable("DeleteTable"));
        add(new PutItem(c), never, ItemAccess::putItem);
        add(new GetItem(c), never, ItemAccess::getItem);
        add(new UpdateItem(c), never, ItemAccess::updateItem);
        add(new DeleteItem(c), never, ItemAccess::deleteItem);
        add(new BatchGetItem(c), waits, BatchAccess::batchGetItem);
        add(new BatchWriteItem(c), waits, BatchAccess::batchWriteItem);
        add(new ExecuteStatement(c), waits, PartiqlAccess::executeStatement);
        add(new BatchExecuteStatement(c), waits, PartiqlAccess::batchExecuteStatement);
        add(new ExecuteTransaction(c), waits, PartiqlAccess::executeTransaction);
        add(new Query(c), waits, ReadAccess::query);
        add(new Scan(c), waits, ReadAccess::scan);
        add(new UpdateTimeToLive(c), waits, TableAccess.onTable("UpdateTimeToLive"));
        add(new DescribeTimeToLive(c), waits, TableAccess.onTable("DescribeTimeToLive"));
        add(new TransactWriteItems(c), waits, TransactionAccess::transactWriteItems);
        add(new TransactGetItems(c), waits, TransactionAccess::transactGetItems);
        add(new TagResource(c), waits, null);
        add(new UntagResource(c), waits, null);
        add(new ListTagsOfResource(c), waits, null);
        add(new DescribeEndpoints(c), waits, null);
        add(new DescribeLimits(c), waits, null);
        add(new DescribeContinuousBackups(c), waits, null);
        add(new UpdateContinuousBackups(c), waits, null);
        add(new CreateBackup(c), waits, null);
        add(new DescribeBackup(c), waits, null);
        add(new ListBackups(c), waits, null);
        add(new DeleteBackup(c), waits, null);
        add(new RestoreTableFromBackup(c), waits, null);
        // features Eddy does not have, answered as for a table that does not use them
        add(new DescribeContributorInsights(c), waits, null);
        add(new ListContributorInsights(c), waits, null);
        add(new DescribeKinesisStreamingDestination(c), waits, null);
        add(new DescribeGlobalTable(c), waits, null);
        add(new ListGlobalTables(c), waits, null);
        add(new DescribeTableReplicaAutoScaling(c), waits, null);
        add(new ListExports(c), waits, null);
        add(new ListImports(c), waits, null);
        add(new GetResourcePolicy(c), waits, null);

        addStreams(new ListStreams(c), StreamAccess::listStreams);
        addStreams(new DescribeStream(c), StreamAccess.onStreamArn("DescribeStream"));
        addStreams(new GetShardIterator(c), StreamAccess.onStreamArn("GetShardIterator"));
        addStreams(new GetRecords(c), StreamAccess::getRecords);
    }

    private void add(Operation op, Execution execution, OperationAccess access) {
        byName.put(op.name(), new Registered(op, execution, access, false));
    }

    private void addStreams(Operation op, OperationAccess access) {
        streams.put(op.name(), new Registered(op, Execution.BLOCKING, access, true));
    }

    /** A DynamoDB operation by name; UnknownOperationException when there is none. */
    public Registered find(String name) {
        Registered op = byName.get(name);
        if (op == null) {
            throw Errors.unknownOperation();
        }
        return op;
    }

    /** A DynamoDB Streams operation by name; UnknownOperationException when there is none. */
    public Registered findStreams(String name) {
        Registered op = streams.get(name);
        if (op == null) {
            throw Errors.unknownOperation();
        }
        return op;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public Collection<Registered> all() {
        return byName.values();
    }

    /** The DynamoDB Streams API's operations. */
    public Collection<Registered> streamsOperations() {
        return streams.values();
    }
}
