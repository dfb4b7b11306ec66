package dev.eddy.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.table.AttributeDefinition;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.table.Throughput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * UpdateTable's GlobalSecondaryIndexUpdates (API Reference, "GlobalSecondaryIndexUpdate"): Create,
 * Update (throughput) or Delete, each member exactly one of them, and at most one index created or
 * deleted per call. A created index is CREATING and Backfilling until the table's items are in it;
 * a deleted one is DELETING until its entries are gone.
 */
final class GlobalIndexUpdates {
    private final IndexDefinition created;
    private final String deleted;
    private final Map<String, Throughput> throughputs;
    private final List<AttributeDefinition> definitions;

    private GlobalIndexUpdates(IndexDefinition created, String deleted, Map<String, Throughput> throughputs,
                               List<AttributeDefinition> definitions) {
        this.created = created;
        this.deleted = deleted;
        this.throughputs = throughputs;
        this.definitions = definitions;
    }

    /** Reads the members' shapes (null when the request has none); semantic checks wait for the table. */
    static GlobalIndexUpdates read(Request r, JsonNode updates, JsonNode definitionsNode) {
        if (updates == null) {
            return null;
        }
        List<AttributeDefinition> definitions = definitionsNode == null ? List.of()
                : TableRequests.attributeDefinitions(r, definitionsNode);
        IndexDefinition created = null;
        String deleted = null;
        int changes = 0;
        Map<String, Throughput> throughputs = new LinkedHashMap<>();
        int n = 0;
        for (JsonNode member : updates) {
            n++;
            String p = "globalSecondaryIndexUpdates." + n + ".member";
            if (!member.isObject()) {
                throw Errors.serialization("Unexpected value type in payload");
            }
            JsonNode create = Request.object(member, "Create");
            JsonNode update = Request.object(member, "Update");
            JsonNode delete = Request.object(member, "Delete");
            int actions = (create != null ? 1 : 0) + (update != null ? 1 : 0) + (delete != null ? 1 : 0);
            if (actions != 1) {
                throw Errors.invalidParameter("One of GlobalSecondaryIndexUpdate.Create, "
                        + "GlobalSecondaryIndexUpdate.Update, or GlobalSecondaryIndexUpdate.Delete must be specified");
            }
            if (create != null) {
                created = CreateTable.index(r, create, p + ".create", true, TableDefinition.CREATING);
                changes++;
            } else if (delete != null) {
                deleted = Request.string(delete, "IndexName");
                r.name(p + ".delete.indexName", deleted, true);
                changes++;
            } else {
                String name = Request.string(update, "IndexName");
                r.name(p + ".update.indexName", name, true);
                throughputs.put(name, TableRequests.throughput(r, Request.object(update, "ProvisionedThroughput"),
                        p + ".update.provisionedThroughput"));
            }
        }
        if (changes > 1) {
            throw Errors.limitExceeded("Subscriber limit exceeded: Only 1 online index can be created or deleted "
                    + "simultaneously per table");
        }
        return new GlobalIndexUpdates(created, deleted, throughputs, definitions);
    }

    IndexDefinition created() {
        return created;
    }

    String deleted() {
        return deleted;
    }

    /** The table with the updates applied: the new index CREATING, the deleted one DELETING. */
    TableDefinition apply(TableDefinition t) {
        boolean onDemand = TableDefinition.PAY_PER_REQUEST.equals(t.billingMode());
        List<IndexDefinition> indexes = new ArrayList<>();
        for (IndexDefinition i : t.globalSecondaryIndexes()) {
            Throughput throughput = throughputs.get(i.indexName());
            if (throughput != null && onDemand) {
                throw Errors.invalidParameter("ProvisionedThroughput should not be specified for index: "
                        + i.indexName() + " when BillingMode is PAY_PER_REQUEST");
            }
            if (i.indexName().equals(deleted)) {
                indexes.add(i.withStatus(TableDefinition.DELETING, false));
            } else {
                indexes.add(throughput == null ? i : i.withThroughput(throughput));
            }
        }
        for (String name : throughputs.keySet()) {
            requireIndex(t, name);
        }
        if (deleted != null) {
            requireIndex(t, deleted);
        }
        List<AttributeDefinition> merged = new ArrayList<>(t.attributeDefinitions());
        if (created != null) {
            if (t.index(created.indexName()) != null) {
                throw Errors.validation("One or more parameter values were invalid: Index with name "
                        + created.indexName() + " already exists");
            }
            for (AttributeDefinition d : definitions) {
                String existing = t.attributeType(d.attributeName());
                if (existing == null) {
                    merged.add(d);
                } else if (!existing.equals(d.attributeType())) {
                    throw Errors.invalidParameter("Cannot change the type of an existing attribute definition: "
                            + d.attributeName());
                }
            }
            List<String> defined = new ArrayList<>();
            merged.forEach(d -> defined.add(d.attributeName()));
            CreateTable.checkGlobalIndex(created, defined, onDemand);
            indexes.add(created.withStatus(TableDefinition.CREATING, true));
            CreateTable.checkGlobalIndexCount(indexes.size());
        }
        return t.withGlobalSecondaryIndexes(indexes, merged);
    }

    private static void requireIndex(TableDefinition t, String name) {
        IndexDefinition i = t.index(name);
        if (i == null || !t.isGlobalIndex(i)) {
            throw Errors.indexNotFound(name);
        }
    }
}
