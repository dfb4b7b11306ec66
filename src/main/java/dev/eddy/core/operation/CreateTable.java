package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.Eddy;
import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.storage.Storage;
import dev.eddy.core.table.AttributeDefinition;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.KeyElement;
import dev.eddy.core.table.Projection;
import dev.eddy.core.table.StreamSpec;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.table.TableDescriptions;
import dev.eddy.core.table.Throughput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CreateTable: validates the definition as DynamoDB does, stores it as CREATING, creates the
 * table's cache, then marks it ACTIVE. The response says CREATING, as DynamoDB's does; the next
 * DescribeTable says ACTIVE.
 */
public final class CreateTable implements Operation {
    static final int MAX_LSI = 5;
    static final int MAX_GSI = 20;

    private final Eddy eddy;

    public CreateTable(Eddy eddy) {
        this.eddy = eddy;
    }

    @Override
    public String name() {
        return "CreateTable";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        List<KeyElement> keySchema = TableRequests.keySchema(r, r.list("KeySchema"), "keySchema", true);
        List<AttributeDefinition> attributes = TableRequests.attributeDefinitions(r, r.list("AttributeDefinitions"));
        String billing = r.string("BillingMode");
        r.oneOf("billingMode", billing, List.of(TableDefinition.PROVISIONED, TableDefinition.PAY_PER_REQUEST));
        JsonNode throughputNode = r.object("ProvisionedThroughput");
        Throughput throughput = TableRequests.throughput(r, throughputNode, "provisionedThroughput");
        StreamSpec stream = TableRequests.streamSpec(r, r.object("StreamSpecification"));
        List<IndexDefinition> lsis = indexes(r, r.list("LocalSecondaryIndexes"), "localSecondaryIndexes", false);
        List<IndexDefinition> gsis = indexes(r, r.list("GlobalSecondaryIndexes"), "globalSecondaryIndexes", true);
        Map<String, String> tags = TableRequests.tags(r, r.list("Tags"));
        String tableClass = r.string("TableClass");
        r.oneOf("tableClass", tableClass, List.of("STANDARD", "STANDARD_INFREQUENT_ACCESS"));
        Boolean deletionProtection = r.bool("DeletionProtectionEnabled");
        r.check();

        TableRequests.checkKeySchema(keySchema);
        checkAttributes(keySchema, attributes, lsis, gsis);
        if (billing == null) {
            billing = TableDefinition.PROVISIONED;
        }
        boolean onDemand = TableDefinition.PAY_PER_REQUEST.equals(billing);
        if (onDemand && throughputNode != null) {
            throw Errors.invalidParameter(
                    "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        }
        if (!onDemand && throughput == null) {
            throw Errors.invalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when "
                    + "BillingMode is PROVISIONED");
        }
        checkIndexes(keySchema, lsis, gsis, onDemand);

        long now = System.currentTimeMillis();
        String id = UUID.randomUUID().toString();
        String arn = "arn:aws:dynamodb:" + eddy.config().region() + ":" + eddy.config().accountId() + ":table/" + name;
        String streamLabel = stream != null && stream.enabled() ? StreamLabels.at(now) : null;
        TableDefinition t = new TableDefinition(name, id, arn, Storage.PREFIX + "t." + id, now, TableDefinition.CREATING,
                keySchema, attributes, billing, onDemand ? now : null, onDemand ? Throughput.ZERO : throughput,
                lsis, gsis, stream != null && stream.enabled() ? stream : null, streamLabel, tags,
                Boolean.TRUE.equals(deletionProtection), tableClass);
        if (!eddy.catalog().create(t)) {
            throw Errors.tableExists(name);
        }
        TableLifecycle.finishCreating(eddy, t);

        out.writeFieldName("TableDescription");
        TableDescriptions.write(out, t, 0, 0);
    }

    private static void checkAttributes(List<KeyElement> keySchema, List<AttributeDefinition> attributes,
                                        List<IndexDefinition> lsis, List<IndexDefinition> gsis) {
        Set<String> defined = new LinkedHashSet<>();
        for (AttributeDefinition d : attributes) {
            if (!defined.add(d.attributeName())) {
                throw Errors.validation("Attribute Name is duplicated: " + d.attributeName());
            }
        }
        Set<String> keyNames = new LinkedHashSet<>();
        for (KeyElement k : keySchema) {
            keyNames.add(k.attributeName());
        }
        for (IndexDefinition i : lsis) {
            for (KeyElement k : i.keySchema()) {
                keyNames.add(k.attributeName());
            }
        }
        for (IndexDefinition i : gsis) {
            for (KeyElement k : i.keySchema()) {
                keyNames.add(k.attributeName());
            }
        }
        if (!defined.containsAll(keyNames)) {
            throw Errors.invalidParameter("Some index key attributes are not defined in AttributeDefinitions. Keys: "
                    + new ArrayList<>(keyNames) + ", AttributeDefinitions: " + new ArrayList<>(defined));
        }
        if (!keyNames.containsAll(defined)) {
            throw Errors.invalidParameter(
                    "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
    }

    private static List<IndexDefinition> indexes(Request r, JsonNode list, String path, boolean global) {
        List<IndexDefinition> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        if (list.size() == 0) {
            throw Errors.invalidParameter("List of " + (global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes")
                    + " is empty");
        }
        int n = 0;
        for (JsonNode node : list) {
            n++;
            String p = path + "." + n + ".member";
            if (!node.isObject()) {
                throw Errors.serialization("Unexpected value type in payload");
            }
            String indexName = Request.string(node, "IndexName");
            r.name(p + ".indexName", indexName, true);
            List<KeyElement> ks = TableRequests.keySchema(r, Request.list(node, "KeySchema"), p + ".keySchema", true);
            Projection projection = TableRequests.projection(r, Request.object(node, "Projection"), p + ".projection");
            Throughput throughput = global
                    ? TableRequests.throughput(r, Request.object(node, "ProvisionedThroughput"), p + ".provisionedThroughput")
                    : null;
            out.add(new IndexDefinition(indexName, ks, projection, throughput, global ? TableDefinition.ACTIVE : null));
        }
        return out;
    }

    private static void checkIndexes(List<KeyElement> tableKeys, List<IndexDefinition> lsis,
                                     List<IndexDefinition> gsis, boolean onDemand) {
        if (lsis.size() > MAX_LSI) {
            throw Errors.invalidParameter("Number of LocalSecondaryIndexes exceeds per-table limit of " + MAX_LSI);
        }
        if (gsis.size() > MAX_GSI) {
            throw Errors.invalidParameter("GlobalSecondaryIndex count exceeds the per-table limit of " + MAX_GSI);
        }
        Set<String> names = new HashSet<>();
        for (IndexDefinition i : lsis) {
            if (!names.add(i.indexName())) {
                throw Errors.invalidParameter("Duplicate index name: " + i.indexName());
            }
            TableRequests.checkKeySchema(i.keySchema());
            if (tableKeys.size() < 2) {
                throw Errors.invalidParameter("Table KeySchema does not have a range key, which is required when "
                        + "specifying a LocalSecondaryIndex");
            }
            if (i.keySchema().size() < 2) {
                throw Errors.invalidParameter("Index KeySchema does not have a range key for index: " + i.indexName());
            }
            if (!i.hashKey().equals(tableKeys.get(0).attributeName())) {
                throw Errors.invalidParameter("Index KeySchema does not have the same leading hash key as table "
                        + "KeySchema for index: " + i.indexName() + ". index hash key: " + i.hashKey()
                        + ", table hash key: " + tableKeys.get(0).attributeName());
            }
            TableRequests.checkProjection(i);
        }
        for (IndexDefinition i : gsis) {
            if (!names.add(i.indexName())) {
                throw Errors.invalidParameter("Duplicate index name: " + i.indexName());
            }
            TableRequests.checkKeySchema(i.keySchema());
            TableRequests.checkProjection(i);
            if (onDemand && i.throughput() != null) {
                throw Errors.invalidParameter("ProvisionedThroughput should not be specified for index: "
                        + i.indexName() + " when BillingMode is PAY_PER_REQUEST");
            }
            if (!onDemand && i.throughput() == null) {
                throw Errors.invalidParameter("ProvisionedThroughput is not specified for index: " + i.indexName());
            }
        }
    }

}
