package dev.eddy.core.table;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;

/** Writes a TableDescription as DescribeTable, CreateTable, UpdateTable and DeleteTable return it. */
public final class TableDescriptions {
    private TableDescriptions() {
    }

    /**
     * ItemCount and size figures as last counted: the table's, and each index's by name (an index
     * not counted yet reports zeros, as a new one does in DynamoDB).
     */
    public record Sizes(long itemCount, long sizeBytes, java.util.Map<String, long[]> indexes) {
        public static final Sizes NONE = new Sizes(0, 0, java.util.Map.of());

        long[] index(String name) {
            long[] f = indexes.get(name);
            return f == null ? new long[2] : f;
        }
    }

    public static void write(JsonGenerator g, TableDefinition t, long itemCount, long sizeBytes) throws IOException {
        write(g, t, new Sizes(itemCount, sizeBytes, java.util.Map.of()));
    }

    public static void write(JsonGenerator g, TableDefinition t, Sizes sizes) throws IOException {
        long itemCount = sizes.itemCount();
        long sizeBytes = sizes.sizeBytes();
        g.writeStartObject();
        g.writeArrayFieldStart("AttributeDefinitions");
        for (AttributeDefinition d : t.attributeDefinitions()) {
            g.writeStartObject();
            g.writeStringField("AttributeName", d.attributeName());
            g.writeStringField("AttributeType", d.attributeType());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("TableName", t.tableName());
        writeKeySchema(g, t.keySchema());
        g.writeStringField("TableStatus", t.status());
        writeTime(g, "CreationDateTime", t.createdMillis());
        writeThroughput(g, t.throughput());
        g.writeNumberField("TableSizeBytes", sizeBytes);
        g.writeNumberField("ItemCount", itemCount);
        g.writeStringField("TableArn", t.tableArn());
        g.writeStringField("TableId", t.tableId());
        if (TableDefinition.PAY_PER_REQUEST.equals(t.billingMode()) || t.billingModeUpdatedMillis() != null) {
            g.writeObjectFieldStart("BillingModeSummary");
            g.writeStringField("BillingMode", t.billingMode());
            if (t.billingModeUpdatedMillis() != null) {
                writeTime(g, "LastUpdateToPayPerRequestDateTime", t.billingModeUpdatedMillis());
            }
            g.writeEndObject();
        }
        if (!t.localSecondaryIndexes().isEmpty()) {
            g.writeArrayFieldStart("LocalSecondaryIndexes");
            for (IndexDefinition i : t.localSecondaryIndexes()) {
                writeIndex(g, t, i, false, sizes.index(i.indexName()));
            }
            g.writeEndArray();
        }
        if (!t.globalSecondaryIndexes().isEmpty()) {
            g.writeArrayFieldStart("GlobalSecondaryIndexes");
            for (IndexDefinition i : t.globalSecondaryIndexes()) {
                writeIndex(g, t, i, true, sizes.index(i.indexName()));
            }
            g.writeEndArray();
        }
        if (t.streamSpec() != null && t.streamSpec().enabled()) {
            g.writeObjectFieldStart("StreamSpecification");
            g.writeBooleanField("StreamEnabled", true);
            g.writeStringField("StreamViewType", t.streamSpec().viewType());
            g.writeEndObject();
        }
        if (t.latestStreamLabel() != null) {
            g.writeStringField("LatestStreamLabel", t.latestStreamLabel());
            g.writeStringField("LatestStreamArn", t.latestStreamArn());
        }
        if (t.sseKmsMasterKeyArn() != null) {
            // As DynamoDB describes a table encrypted under a KMS key; the default key gets no SSEDescription.
            g.writeObjectFieldStart("SSEDescription");
            g.writeStringField("Status", "ENABLED");
            g.writeStringField("SSEType", "KMS");
            g.writeStringField("KMSMasterKeyArn", t.sseKmsMasterKeyArn());
            g.writeEndObject();
        }
        if (t.tableClass() != null) {
            g.writeObjectFieldStart("TableClassSummary");
            g.writeStringField("TableClass", t.tableClass());
            g.writeEndObject();
        }
        g.writeBooleanField("DeletionProtectionEnabled", t.deletionProtection());
        if (t.restore() != null) {
            RestoreSummary r = t.restore();
            g.writeObjectFieldStart("RestoreSummary");
            g.writeStringField("SourceBackupArn", r.sourceBackupArn());
            g.writeStringField("SourceTableArn", r.sourceTableArn());
            writeTime(g, "RestoreDateTime", r.restoreMillis());
            g.writeBooleanField("RestoreInProgress", r.inProgress());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /**
     * The shorter description DeleteTable returns: a real DeleteTable answer (captured from
     * DynamoDB by LocalStack's recorded tests) holds the name, status, throughput, size and count,
     * ARN, id and deletion protection, and none of the schema, indexes or dates DescribeTable adds.
     */
    public static void writeDeleted(JsonGenerator g, TableDefinition t) throws IOException {
        g.writeStartObject();
        g.writeStringField("TableName", t.tableName());
        g.writeStringField("TableStatus", TableDefinition.DELETING);
        writeThroughput(g, t.throughput());
        g.writeNumberField("TableSizeBytes", 0);
        g.writeNumberField("ItemCount", 0);
        g.writeStringField("TableArn", t.tableArn());
        g.writeStringField("TableId", t.tableId());
        if (TableDefinition.PAY_PER_REQUEST.equals(t.billingMode())) {
            g.writeObjectFieldStart("BillingModeSummary");
            g.writeStringField("BillingMode", t.billingMode());
            g.writeEndObject();
        }
        g.writeBooleanField("DeletionProtectionEnabled", t.deletionProtection());
        g.writeEndObject();
    }

    private static void writeIndex(JsonGenerator g, TableDefinition t, IndexDefinition i, boolean global,
                                   long[] figures) throws IOException {
        g.writeStartObject();
        g.writeStringField("IndexName", i.indexName());
        writeKeySchema(g, i.keySchema());
        writeProjection(g, i.projection());
        if (global) {
            // A restored table's indexes are built with it: CREATING until the restore is done.
            g.writeStringField("IndexStatus", t.isRestoring() ? TableDefinition.CREATING : i.status());
            if (i.isBackfilling()) {
                g.writeBooleanField("Backfilling", true);
            }
            writeThroughput(g, i.throughput() == null ? Throughput.ZERO : i.throughput());
        }
        g.writeNumberField("IndexSizeBytes", figures[1]);
        g.writeNumberField("ItemCount", figures[0]);
        g.writeStringField("IndexArn", t.tableArn() + "/index/" + i.indexName());
        g.writeEndObject();
    }

    public static void writeProjection(JsonGenerator g, Projection p) throws IOException {
        g.writeObjectFieldStart("Projection");
        g.writeStringField("ProjectionType", p.projectionType());
        if (p.nonKeyAttributes() != null && !p.nonKeyAttributes().isEmpty()) {
            g.writeArrayFieldStart("NonKeyAttributes");
            for (String a : p.nonKeyAttributes()) {
                g.writeString(a);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    public static void writeKeySchema(JsonGenerator g, List<KeyElement> keySchema) throws IOException {
        g.writeArrayFieldStart("KeySchema");
        for (KeyElement k : keySchema) {
            g.writeStartObject();
            g.writeStringField("AttributeName", k.attributeName());
            g.writeStringField("KeyType", k.keyType());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeThroughput(JsonGenerator g, Throughput p) throws IOException {
        g.writeObjectFieldStart("ProvisionedThroughput");
        if (p.lastIncreaseMillis() != null) {
            writeTime(g, "LastIncreaseDateTime", p.lastIncreaseMillis());
        }
        if (p.lastDecreaseMillis() != null) {
            writeTime(g, "LastDecreaseDateTime", p.lastDecreaseMillis());
        }
        g.writeNumberField("NumberOfDecreasesToday", p.decreasesToday());
        g.writeNumberField("ReadCapacityUnits", p.readCapacityUnits());
        g.writeNumberField("WriteCapacityUnits", p.writeCapacityUnits());
        g.writeEndObject();
    }

    /** Timestamps go on the wire as epoch seconds with a fraction, as DynamoDB sends them. */
    public static void writeTime(JsonGenerator g, String field, long millis) throws IOException {
        g.writeNumberField(field, BigDecimal.valueOf(millis, 3));
    }
}
