package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.backup.Backup;
import dev.eddy.core.error.Errors;
import dev.eddy.core.storage.Storage;
import dev.eddy.core.table.AttributeDefinition;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.KeyElement;
import dev.eddy.core.table.RestoreSummary;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.table.TableDescriptions;
import dev.eddy.core.table.Throughput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * RestoreTableFromBackup (API Reference; Developer Guide, "Restoring a DynamoDB table from a
 * backup"): a new table, with the backup's key schema, indexes and capacity, CREATING with
 * RestoreInProgress until the maintenance role has loaded the backup into it
 * ({@code backup.TableRestore}). The overrides DynamoDB takes: billing mode and provisioned
 * throughput; the global and local indexes to keep (each must be one of the backup's, with its key
 * schema; leaving one out leaves it out); server-side encryption with the default key (Eddy keeps
 * no KMS keys, so a KMS key is refused). As in DynamoDB, the stream, Time to Live, tags and
 * deletion protection are not restored.
 */
public final class RestoreTableFromBackup implements BlockingOperation {

    private final OperationContext context;

    public RestoreTableFromBackup(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "RestoreTableFromBackup";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String target = r.string("TargetTableName");
        r.name("targetTableName", target, true);
        String arn = Backups.arnOf(r, "BackupArn", "backupArn");
        String billing = r.oneOf("BillingModeOverride", List.of(TableDefinition.PROVISIONED, TableDefinition.PAY_PER_REQUEST));
        JsonNode gsiNode = r.list("GlobalSecondaryIndexOverride");
        JsonNode lsiNode = r.list("LocalSecondaryIndexOverride");
        List<IndexDefinition> gsis = overrides(r, gsiNode, "globalSecondaryIndexOverride", true);
        List<IndexDefinition> lsis = overrides(r, lsiNode, "localSecondaryIndexOverride", false);
        JsonNode throughputNode = r.object("ProvisionedThroughputOverride");
        Throughput throughput = TableRequests.throughput(r, throughputNode, "provisionedThroughputOverride");
        SseSpecification sse = SseSpecification.read(r, r.object("SSESpecificationOverride"), "sSESpecificationOverride");
        r.object("OnDemandThroughputOverride"); // accepted, as CreateTable's OnDemandThroughput: no limits are kept
        r.check();

        Backup backup = Backups.find(context, arn);
        if (backup.isCreating()) {
            throw Errors.backupBeingCreated(arn);
        }
        // The restored table reports the key the override names, else the default key (as a new table).
        String kmsKeyArn = SseSpecification.keyArn(sse, context.config().encryption().masterKeys(), context.config().region(),
                context.config().accountId());
        TableDefinition existing = context.catalog().findConsistent(target);
        if (existing != null) {
            throw inUse(existing);
        }
        long now = System.currentTimeMillis();
        TableDefinition table = restored(backup, target, billing, throughputNode != null, throughput,
                gsiNode == null ? null : gsis, lsiNode == null ? null : lsis, now, kmsKeyArn);
        // The backup is held first (DeleteBackup waits for its restores), then the table is created.
        context.backups().update(backup.backupId(), b -> {
            if (!Backup.AVAILABLE.equals(b.status())) {
                throw Backup.DELETED.equals(b.status()) ? Errors.backupNotFound(arn) : Errors.backupBeingCreated(arn);
            }
            List<String> restoring = new ArrayList<>(b.restoring());
            restoring.add(table.tableId());
            return b.withRestoring(restoring);
        });
        // Its data key exists before TableRestore copies the first item in: none of its values is ever plain.
        context.encryption().tableCreated(table.cacheName());
        if (!context.catalog().create(table)) {
            context.backups().update(backup.backupId(), b -> {
                List<String> restoring = new ArrayList<>(b.restoring());
                restoring.remove(table.tableId());
                return b.withRestoring(restoring);
            });
            TableDefinition present = context.catalog().findConsistent(target);
            throw present == null ? Errors.tableAlreadyExists(target) : inUse(present);
        }
        context.createCache(table.cacheName());
        out.writeFieldName("TableDescription");
        TableDescriptions.write(out, table, 0, 0);
    }

    private static RuntimeException inUse(TableDefinition t) {
        return TableDefinition.CREATING.equals(t.status()) || TableDefinition.DELETING.equals(t.status())
                ? Errors.tableBeingCreatedOrDeleted(t.tableName()) : Errors.tableAlreadyExists(t.tableName());
    }

    private static List<IndexDefinition> overrides(Request r, JsonNode list, String path, boolean global) {
        List<IndexDefinition> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        int n = 0;
        for (JsonNode node : list) {
            n++;
            if (!node.isObject()) {
                throw Errors.serialization("Unexpected value type in payload");
            }
            out.add(CreateTable.index(r, node, path + "." + n + ".member", global, TableDefinition.ACTIVE));
        }
        return out;
    }

    /** The restored table's definition: the backup's settings with the request's overrides. */
    private TableDefinition restored(Backup backup, String name, String billingOverride, boolean throughputGiven,
                                     Throughput throughputOverride, List<IndexDefinition> gsiOverride,
                                     List<IndexDefinition> lsiOverride, long now, String kmsKeyArn) {
        TableDefinition source = backup.source();
        String billing = billingOverride != null ? billingOverride : source.billingMode();
        boolean onDemand = TableDefinition.PAY_PER_REQUEST.equals(billing);
        Throughput throughput;
        if (onDemand) {
            if (throughputGiven) {
                throw Errors.capacityWithOnDemand();
            }
            throughput = Throughput.ZERO;
        } else {
            throughput = throughputOverride != null ? units(throughputOverride)
                    : TableDefinition.PROVISIONED.equals(source.billingMode()) ? units(source.throughput()) : null;
            if (throughput == null) {
                throw Errors.capacityMissing();
            }
            TableRequests.checkQuota(throughput);
        }
        List<IndexDefinition> gsis = new ArrayList<>();
        for (IndexDefinition i : gsiOverride != null ? gsiOverride : activeGlobal(source)) {
            IndexDefinition from = matching(source.globalSecondaryIndexes(), i, "GlobalSecondaryIndexOverride");
            Throughput units = onDemand ? null
                    : i.throughput() != null ? units(i.throughput())
                    : from.throughput() != null && !Throughput.ZERO.equals(units(from.throughput())) ? units(from.throughput())
                    : throughput;
            if (onDemand && i.throughput() != null) {
                throw Errors.indexCapacityWithOnDemand(i.indexName());
            }
            gsis.add(IndexDefinition.global(from.indexName(), from.keySchema(), from.projection(), units,
                    TableDefinition.ACTIVE));
        }
        List<IndexDefinition> lsis = new ArrayList<>();
        for (IndexDefinition i : lsiOverride != null ? lsiOverride : source.localSecondaryIndexes()) {
            IndexDefinition from = matching(source.localSecondaryIndexes(), i, "LocalSecondaryIndexOverride");
            lsis.add(IndexDefinition.local(from.indexName(), from.keySchema(), from.projection()));
        }
        String id = UUID.randomUUID().toString();
        String arn = ResourceArns.tablePrefix(context) + name;
        return new TableDefinition(name, id, arn, Storage.PREFIX + "t." + id, now, TableDefinition.CREATING,
                source.keySchema(), usedDefinitions(source, gsis, lsis), billing, onDemand ? now : null, throughput, lsis,
                gsis, null, null, Map.of(), false, source.tableClass(), null, TableDefinition.CURRENT_LAYOUT, null, null,
                new RestoreSummary(backup.backupArn(), source.tableArn(), now, true), kmsKeyArn);
    }

    private static List<IndexDefinition> activeGlobal(TableDefinition t) {
        List<IndexDefinition> out = new ArrayList<>();
        for (IndexDefinition i : t.globalSecondaryIndexes()) {
            if (!TableDefinition.DELETING.equals(i.status())) {
                out.add(i);
            }
        }
        return out;
    }

    /** The backup's index an override names, with the same key schema. */
    private static IndexDefinition matching(List<IndexDefinition> backed, IndexDefinition wanted, String member) {
        for (IndexDefinition i : backed) {
            if (i.indexName().equals(wanted.indexName()) && i.keySchema().equals(wanted.keySchema())) {
                return i;
            }
        }
        throw Errors.indexNotInBackup(member, wanted.indexName());
    }

    /** Capacity units alone: a restored table starts with no history of increases and decreases. */
    private static Throughput units(Throughput t) {
        return new Throughput(t.readCapacityUnits(), t.writeCapacityUnits(), null, null, 0);
    }

    /** The attribute definitions the restored table's keys and indexes use. */
    private static List<AttributeDefinition> usedDefinitions(TableDefinition source, List<IndexDefinition> gsis,
                                                             List<IndexDefinition> lsis) {
        Set<String> used = new LinkedHashSet<>();
        source.keySchema().forEach(k -> used.add(k.attributeName()));
        for (List<IndexDefinition> list : List.of(gsis, lsis)) {
            for (IndexDefinition i : list) {
                for (KeyElement k : i.keySchema()) {
                    used.add(k.attributeName());
                }
            }
        }
        List<AttributeDefinition> out = new ArrayList<>();
        for (AttributeDefinition d : source.attributeDefinitions()) {
            if (used.contains(d.attributeName())) {
                out.add(d);
            }
        }
        return out;
    }
}
