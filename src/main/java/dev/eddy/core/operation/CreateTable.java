package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
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
import dev.eddy.core.stream.StreamTopics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CreateTable: validates the definition as DynamoDB does, stores it as CREATING, creates the
 * table's cache (with its data key first, when encryption at rest is on), then marks it ACTIVE. The response says CREATING, as DynamoDB's does; the next
 * DescribeTable says ACTIVE.
 */
public final class CreateTable implements BlockingOperation {
    static final int MAX_LSI = 5;
    static final int MAX_GSI = 20;
    static final List<String> TABLE_CLASSES = List.of("STANDARD", "STANDARD_INFREQUENT_ACCESS");

    private final OperationContext context;

    public CreateTable(OperationContext context) {
        this.context = context;
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
        String billing = r.oneOf("BillingMode", List.of(TableDefinition.PROVISIONED, TableDefinition.PAY_PER_REQUEST));
        JsonNode throughputNode = r.object("ProvisionedThroughput");
        Throughput throughput = TableRequests.throughput(r, throughputNode, "provisionedThroughput");
        StreamSpec stream = TableRequests.readStreamSpec(r, r.object("StreamSpecification"));
        // DynamoDB reports the global indexes' violations before the local ones'.
        JsonNode gsiNode = r.list("GlobalSecondaryIndexes");
        JsonNode lsiNode = r.list("LocalSecondaryIndexes");
        List<IndexDefinition> gsis = indexes(r, gsiNode, "globalSecondaryIndexes", true);
        List<IndexDefinition> lsis = indexes(r, lsiNode, "localSecondaryIndexes", false);
        List<Tags.Tag> requestedTags = Tags.read(r.list("Tags"));
        String tableClass = r.string("TableClass");
        Boolean deletionProtection = r.bool("DeletionProtectionEnabled");
        SseSpecification sse = SseSpecification.read(r, r.object("SSESpecification"));
        r.check();

        // The semantic checks, in the order DynamoDB makes them.
        if (billing == null) {
            billing = TableDefinition.PROVISIONED;
        }
        boolean onDemand = TableDefinition.PAY_PER_REQUEST.equals(billing);
        if (onDemand && throughputNode != null) {
            throw Errors.capacityWithOnDemand();
        }
        if (!onDemand && throughput == null) {
            throw Errors.capacityMissing();
        }
        if (tableClass != null && !TABLE_CLASSES.contains(tableClass)) {
            throw Errors.validation("Invalid table-class parameter provided. Please try again with a valid "
                    + "table-class value: " + TABLE_CLASSES + ".");
        }
        TableRequests.checkStreamSpec(stream, true);
        boolean hasIndexes = gsiNode != null || lsiNode != null;
        List<String> defined = checkTableKeys(keySchema, attributes, hasIndexes);
        Set<String> indexNames = new HashSet<>();
        checkLocalIndexes(lsiNode, lsis, keySchema, defined, indexNames);
        checkGlobalIndexes(gsiNode, gsis, defined, onDemand, indexNames);
        if (hasIndexes) {
            checkAllDefinitionsUsed(keySchema, defined, lsis, gsis);
        }
        // Tags are checked as TagResource checks them, so a table is never created without the tags asked for.
        Map<String, String> tags = Tags.merged(Map.of(), Tags.check(requestedTags));
        String kmsKeyArn = SseSpecification.keyArn(sse, context.config().encryption().masterKeys(), context.config().region(),
                context.config().accountId());

        long now = System.currentTimeMillis();
        String id = UUID.randomUUID().toString();
        String arn = "arn:aws:dynamodb:" + context.config().region() + ":" + context.config().accountId() + ":table/" + name;
        String streamLabel = stream != null && stream.enabled() ? StreamLabels.at(now) : null;
        TableDefinition t = new TableDefinition(name, id, arn, Storage.PREFIX + "t." + id, now, TableDefinition.CREATING,
                keySchema, attributes, billing, onDemand ? now : null, onDemand ? Throughput.ZERO : throughput,
                lsis, gsis, stream != null && stream.enabled() ? stream : null, streamLabel, tags,
                Boolean.TRUE.equals(deletionProtection), tableClass, null, TableDefinition.CURRENT_LAYOUT, null, null, null,
                kmsKeyArn);
        context.encryption().tableCreated(t.cacheName()); // its data key exists before its first value
        if (!context.catalog().create(t)) {
            throw Errors.tableExists(name);
        }
        TableLifecycle.finishCreating(context, t);
        if (streamLabel != null && context.streamPublisher() != null) {
            context.streamPublisher().createTopic(StreamTopics.topic(t));
        }

        out.writeFieldName("TableDescription");
        TableDescriptions.write(out, t, 0, 0);
    }

    /**
     * Attribute definitions against the table's key schema; returns the defined names. More keys
     * than definitions, and keys without one, are told apart as DynamoDB does; definitions no key
     * uses are reported here only for a table without indexes (see {@link #checkAllDefinitionsUsed}).
     */
    private static List<String> checkTableKeys(List<KeyElement> keySchema, List<AttributeDefinition> attributes,
                                               boolean hasIndexes) {
        Set<String> defined = new LinkedHashSet<>();
        for (AttributeDefinition d : attributes) {
            if (!defined.add(d.attributeName())) {
                throw Errors.validation("Attribute Name is duplicated: " + d.attributeName());
            }
        }
        List<String> keys = names(keySchema);
        if (keys.size() > defined.size()) {
            throw Errors.validation("Invalid KeySchema: Some index key attribute have no definition");
        }
        checkDefined(keys, defined);
        TableRequests.checkKeySchema(keySchema);
        if (!hasIndexes && keys.size() != defined.size()) {
            throw Errors.invalidParameter(
                    "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
        return new ArrayList<>(defined);
    }

    private static void checkDefined(List<String> keys, Collection<String> defined) {
        if (!defined.containsAll(keys)) {
            throw Errors.invalidParameter("Some index key attributes are not defined in AttributeDefinitions. Keys: "
                    + keys + ", AttributeDefinitions: " + defined);
        }
    }

    private static List<String> names(List<KeyElement> keys) {
        List<String> out = new ArrayList<>();
        for (KeyElement k : keys) {
            out.add(k.attributeName());
        }
        return out;
    }

    private static void checkLocalIndexes(JsonNode node, List<IndexDefinition> lsis, List<KeyElement> tableKeys,
                                          List<String> defined, Set<String> indexNames) {
        if (node == null) {
            return;
        }
        if (lsis.isEmpty()) {
            throw Errors.invalidParameter("List of LocalSecondaryIndexes is empty");
        }
        if (tableKeys.size() < 2) {
            throw Errors.invalidParameter("Table KeySchema does not have a range key, which is required when "
                    + "specifying a LocalSecondaryIndex");
        }
        String tableHash = tableKeys.get(0).attributeName();
        for (IndexDefinition i : lsis) {
            checkDefined(names(i.keySchema()), defined);
            TableRequests.checkKeySchema(i.keySchema());
            if (i.keySchema().size() < 2) {
                throw Errors.invalidParameter("Index KeySchema does not have a range key for index: " + i.indexName());
            }
            if (!i.hashKey().equals(tableHash)) {
                throw Errors.invalidParameter("Index KeySchema does not have the same leading hash key as table "
                        + "KeySchema for index: " + i.indexName() + ". index hash key: " + i.hashKey()
                        + ", table hash key: " + tableHash);
            }
            TableRequests.checkProjection(i);
            if (!indexNames.add(i.indexName())) {
                throw Errors.invalidParameter("Duplicate index name: " + i.indexName());
            }
        }
        if (lsis.size() > MAX_LSI) {
            throw Errors.invalidParameter("Number of LocalSecondaryIndexes exceeds per-table limit of " + MAX_LSI);
        }
    }

    private static void checkGlobalIndexes(JsonNode node, List<IndexDefinition> gsis, List<String> defined,
                                           boolean onDemand, Set<String> indexNames) {
        if (node == null) {
            return;
        }
        if (gsis.isEmpty()) {
            throw Errors.invalidParameter("List of GlobalSecondaryIndexes is empty");
        }
        for (IndexDefinition i : gsis) {
            checkGlobalIndex(i, defined, onDemand);
            if (!indexNames.add(i.indexName())) {
                throw Errors.invalidParameter("Duplicate index name: " + i.indexName());
            }
        }
        checkGlobalIndexCount(gsis.size());
    }

    /** A global index's own rules: keys defined, key schema and projection valid, throughput as billing asks. */
    static void checkGlobalIndex(IndexDefinition i, Collection<String> defined, boolean onDemand) {
        checkDefined(names(i.keySchema()), defined);
        TableRequests.checkKeySchema(i.keySchema());
        TableRequests.checkProjection(i);
        if (onDemand && i.throughput() != null) {
            throw Errors.indexCapacityWithOnDemand(i.indexName());
        }
        if (!onDemand && i.throughput() == null) {
            throw Errors.invalidParameter("ProvisionedThroughput is not specified for index: " + i.indexName());
        }
    }

    static void checkGlobalIndexCount(int count) {
        if (count > MAX_GSI) {
            throw Errors.invalidParameter("GlobalSecondaryIndex count exceeds the per-table limit of " + MAX_GSI);
        }
    }

    /** With indexes, every definition must be a key of the table or of an index. */
    private static void checkAllDefinitionsUsed(List<KeyElement> tableKeys, List<String> defined,
                                                List<IndexDefinition> lsis, List<IndexDefinition> gsis) {
        Set<String> used = new LinkedHashSet<>(names(tableKeys));
        for (IndexDefinition i : lsis) {
            used.addAll(names(i.keySchema()));
        }
        for (IndexDefinition i : gsis) {
            used.addAll(names(i.keySchema()));
        }
        if (!used.containsAll(defined)) {
            throw Errors.invalidParameter("Some AttributeDefinitions are not used. AttributeDefinitions: " + defined
                    + ", keys used: " + new ArrayList<>(used));
        }
    }

    private static List<IndexDefinition> indexes(Request r, JsonNode list, String path, boolean global) {
        List<IndexDefinition> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        int n = 0;
        for (JsonNode node : list) {
            n++;
            String p = path + "." + n + ".member";
            if (!node.isObject()) {
                throw Errors.serialization("Unexpected value type in payload");
            }
            out.add(index(r, node, p, global, TableDefinition.ACTIVE));
        }
        return out;
    }

    /** One index definition of a request (CreateTable's lists, UpdateTable's Create), at member path {@code p}. */
    static IndexDefinition index(Request r, JsonNode node, String p, boolean global, String status) {
        String indexName = Request.string(node, "IndexName");
        r.name(p + ".indexName", indexName, true);
        List<KeyElement> ks = TableRequests.keySchema(r, Request.list(node, "KeySchema"), p + ".keySchema", true);
        Projection projection = TableRequests.projection(r, Request.object(node, "Projection"), p + ".projection");
        Throughput throughput = global
                ? TableRequests.throughput(r, Request.object(node, "ProvisionedThroughput"), p + ".provisionedThroughput")
                : null;
        return global ? IndexDefinition.global(indexName, ks, projection, throughput, status)
                : IndexDefinition.local(indexName, ks, projection);
    }
}
