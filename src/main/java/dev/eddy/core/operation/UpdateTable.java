package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.table.StreamSpec;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.table.TableDescriptions;
import dev.eddy.core.table.Throughput;
import dev.eddy.core.stream.StreamTopics;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * UpdateTable: billing mode, provisioned throughput, stream specification, deletion protection,
 * table class, the KMS key DescribeTable reports (SSESpecification) and global secondary indexes. Settings apply at once and the response reports
 * UPDATING as DynamoDB's does; an index created or deleted keeps the table UPDATING until done.
 */
public final class UpdateTable implements BlockingOperation {
    private final OperationContext context;

    public UpdateTable(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "UpdateTable";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        String billing = r.oneOf("BillingMode", List.of(TableDefinition.PROVISIONED, TableDefinition.PAY_PER_REQUEST));
        JsonNode throughputNode = r.object("ProvisionedThroughput");
        Throughput throughput = TableRequests.throughput(r, throughputNode, "provisionedThroughput");
        StreamSpec stream = TableRequests.streamSpec(r, r.object("StreamSpecification"));
        Boolean deletionProtection = r.bool("DeletionProtectionEnabled");
        String tableClass = r.string("TableClass");
        JsonNode indexUpdatesNode = r.list("GlobalSecondaryIndexUpdates");
        // An empty list asks for nothing: alone it is as if absent, beside a change it is refused (below).
        boolean noIndexUpdates = indexUpdatesNode != null && indexUpdatesNode.isEmpty();
        GlobalIndexUpdates indexUpdates = noIndexUpdates ? null
                : GlobalIndexUpdates.read(r, indexUpdatesNode, r.list("AttributeDefinitions"));
        SseSpecification sse = SseSpecification.read(r, r.object("SSESpecification"));
        r.check();
        if (tableClass != null && !CreateTable.TABLE_CLASSES.contains(tableClass)) {
            throw Errors.validation("Invalid table-class parameter provided. Please try again with a valid "
                    + "table-class value: " + CreateTable.TABLE_CLASSES + ".");
        }
        if (billing == null && throughputNode == null && stream == null && deletionProtection == null
                && tableClass == null && indexUpdates == null && sse == null) {
            // Before the table is looked up: DynamoDB answers so for a table that does not exist, too.
            throw Errors.nothingToUpdate(presentMembers(r));
        }
        if (noIndexUpdates) {
            throw Errors.emptyIndexUpdates();
        }
        // Which key a table reports only: its values are sealed under its own data key either way,
        // wrapped under the primary master key (Encryption), so a switch re-encrypts nothing.
        String kmsKeyArn = sse == null ? null
                : SseSpecification.keyArn(sse, context.config().encryption().masterKeys(), context.config().region(),
                        context.config().accountId());
        Tables.forTableOps(context, name);
        long now = System.currentTimeMillis();
        TableDefinition updated = context.catalog().update(name, t -> {
            TableDefinition next = apply(t, billing, throughputNode, throughput, stream, deletionProtection,
                    tableClass, now);
            if (sse != null) {
                next = next.withSseKmsMasterKeyArn(kmsKeyArn);
            }
            return indexUpdates == null ? next : indexUpdates.apply(next).withStatus(
                    indexUpdates.created() != null || indexUpdates.deleted() != null
                            ? TableDefinition.UPDATING : next.status());
        });
        if (updated == null) {
            throw Errors.tableNotFound(name);
        }
        if (stream != null && stream.enabled() && context.streamPublisher() != null) {
            context.streamPublisher().createTopic(StreamTopics.topic(updated));
        }
        if (stream != null && !stream.enabled()) {
            // A disabled stream stays readable for 24 hours (Developer Guide, "DynamoDB Streams"), then its topic goes.
            TableLifecycle.retireStream(context, updated);
        }
        // An index created or deleted here is built or removed by the maintenance role (index-build duty).
        out.writeFieldName("TableDescription");
        // Deletion protection alone changes at once, and DynamoDB's answer says ACTIVE; every other
        // update, a re-send of the current value included, answers UPDATING (real-service captures, 2026).
        boolean protectionOnly = deletionProtection != null && billing == null && throughputNode == null
                && stream == null && tableClass == null && indexUpdates == null && sse == null;
        TableDescriptions.write(out, protectionOnly ? updated : updated.withStatus(TableDefinition.UPDATING), 0, 0);
    }

    /** The request's members that name an update, as DynamoDB leaves them out of its "At least one of" list. */
    private static Set<String> presentMembers(Request r) {
        Set<String> present = new HashSet<>();
        r.body().fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (!v.isNull() && !(v.isArray() && v.isEmpty())) {
                present.add(e.getKey());
            }
        });
        return present;
    }

    private static TableDefinition apply(TableDefinition t, String billing, JsonNode throughputNode, Throughput throughput,
                                         StreamSpec stream, Boolean deletionProtection, String tableClass, long now) {
        if (!TableDefinition.ACTIVE.equals(t.status())) {
            throw Errors.tableInUse(t.tableName(), t.status());
        }
        String newBilling = billing == null ? t.billingMode() : billing;
        boolean onDemand = TableDefinition.PAY_PER_REQUEST.equals(newBilling);
        Long billingUpdated = t.billingModeUpdatedMillis();
        Throughput newThroughput = t.throughput();
        if (onDemand) {
            if (throughputNode != null) {
                throw Errors.invalidParameter("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified "
                        + "when BillingMode is PAY_PER_REQUEST");
            }
            if (!newBilling.equals(t.billingMode())) {
                billingUpdated = now;
                newThroughput = Throughput.ZERO;
            }
        } else {
            boolean switching = !newBilling.equals(t.billingMode());
            if (switching && throughput == null) {
                throw Errors.invalidParameter("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
            }
            if (throughput != null) {
                Throughput old = t.throughput();
                if (!switching && old.readCapacityUnits() == throughput.readCapacityUnits()
                        && old.writeCapacityUnits() == throughput.writeCapacityUnits()) {
                    throw Errors.validation("The provisioned throughput for the table will not change. The requested "
                            + "value equals the current value. Current ReadCapacityUnits provisioned for the table: "
                            + old.readCapacityUnits() + ". Requested ReadCapacityUnits: " + throughput.readCapacityUnits()
                            + ". Current WriteCapacityUnits provisioned for the table: " + old.writeCapacityUnits()
                            + ". Requested WriteCapacityUnits: " + throughput.writeCapacityUnits()
                            + ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request "
                            + "higher limits.");
                }
                boolean increase = throughput.readCapacityUnits() > old.readCapacityUnits()
                        || throughput.writeCapacityUnits() > old.writeCapacityUnits();
                boolean decrease = throughput.readCapacityUnits() < old.readCapacityUnits()
                        || throughput.writeCapacityUnits() < old.writeCapacityUnits();
                newThroughput = new Throughput(throughput.readCapacityUnits(), throughput.writeCapacityUnits(),
                        increase ? Long.valueOf(now) : old.lastIncreaseMillis(),
                        decrease ? Long.valueOf(now) : old.lastDecreaseMillis(),
                        old.decreasesToday() + (decrease ? 1 : 0));
            }
        }
        StreamSpec newStream = t.streamSpec();
        String newLabel = t.latestStreamLabel();
        if (stream != null) {
            boolean enabledNow = t.streamSpec() != null && t.streamSpec().enabled();
            if (stream.enabled()) {
                if (enabledNow) {
                    throw Errors.validation("Table already has an enabled stream: TableName: " + t.tableName());
                }
                newStream = stream;
                newLabel = StreamLabels.at(now);
            } else {
                if (!enabledNow) {
                    throw Errors.validation("Table has no stream to disable: TableName: " + t.tableName());
                }
                // The disabled stream keeps its view type: DescribeStream still reports it.
                newStream = new StreamSpec(false, t.streamSpec().viewType());
            }
        }
        return t.withSettings(newBilling, billingUpdated, newThroughput, newStream, newLabel,
                deletionProtection == null ? t.deletionProtection() : deletionProtection,
                tableClass == null ? t.tableClass() : tableClass);
    }
}
