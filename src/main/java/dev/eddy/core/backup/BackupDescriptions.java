package dev.eddy.core.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.core.table.TableDescriptions;
import dev.eddy.core.table.Throughput;
import java.io.IOException;

/**
 * Writes a backup as CreateBackup, DescribeBackup, ListBackups and DeleteBackup return it
 * (BackupDetails, SourceTableDetails, SourceTableFeatureDetails, BackupSummary). Sizes and counts
 * are the backup's own, known once its copy is complete.
 */
public final class BackupDescriptions {
    private BackupDescriptions() {
    }

    public static void writeDetails(JsonGenerator g, Backup b, String status) throws IOException {
        g.writeStartObject();
        g.writeStringField("BackupArn", b.backupArn());
        g.writeStringField("BackupName", b.backupName());
        g.writeNumberField("BackupSizeBytes", b.sizeBytes() == null ? 0 : b.sizeBytes());
        g.writeStringField("BackupStatus", status);
        g.writeStringField("BackupType", Backup.USER);
        TableDescriptions.writeTime(g, "BackupCreationDateTime", b.createdMillis());
        g.writeEndObject();
    }

    /** BackupDescription: the details, the source table, and its indexes, stream and Time to Live. */
    public static void writeDescription(JsonGenerator g, Backup b, String status) throws IOException {
        TableDefinition t = b.source();
        g.writeStartObject();
        g.writeFieldName("BackupDetails");
        writeDetails(g, b, status);
        g.writeObjectFieldStart("SourceTableDetails");
        g.writeStringField("TableName", t.tableName());
        g.writeStringField("TableId", t.tableId());
        g.writeStringField("TableArn", t.tableArn());
        g.writeNumberField("TableSizeBytes", b.sizeBytes() == null ? 0 : b.sizeBytes());
        TableDescriptions.writeKeySchema(g, t.keySchema());
        TableDescriptions.writeTime(g, "TableCreationDateTime", t.createdMillis());
        writeCapacity(g, t.throughput());
        g.writeNumberField("ItemCount", b.itemCount() == null ? 0 : b.itemCount());
        g.writeStringField("BillingMode", t.billingMode());
        g.writeEndObject();
        g.writeObjectFieldStart("SourceTableFeatureDetails");
        if (!t.localSecondaryIndexes().isEmpty()) {
            g.writeArrayFieldStart("LocalSecondaryIndexes");
            for (IndexDefinition i : t.localSecondaryIndexes()) {
                g.writeStartObject();
                g.writeStringField("IndexName", i.indexName());
                TableDescriptions.writeKeySchema(g, i.keySchema());
                TableDescriptions.writeProjection(g, i.projection());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (!t.globalSecondaryIndexes().isEmpty()) {
            g.writeArrayFieldStart("GlobalSecondaryIndexes");
            for (IndexDefinition i : t.globalSecondaryIndexes()) {
                g.writeStartObject();
                g.writeStringField("IndexName", i.indexName());
                TableDescriptions.writeKeySchema(g, i.keySchema());
                TableDescriptions.writeProjection(g, i.projection());
                writeCapacity(g, i.throughput() == null ? Throughput.ZERO : i.throughput());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (t.streamSpec() != null && t.streamSpec().enabled()) {
            g.writeObjectFieldStart("StreamDescription");
            g.writeBooleanField("StreamEnabled", true);
            g.writeStringField("StreamViewType", t.streamSpec().viewType());
            g.writeEndObject();
        }
        if (t.timeToLiveAttribute() != null) {
            g.writeObjectFieldStart("TimeToLiveDescription");
            g.writeStringField("TimeToLiveStatus", "ENABLED");
            g.writeStringField("AttributeName", t.timeToLiveAttribute());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** One entry of ListBackups. */
    public static void writeSummary(JsonGenerator g, Backup b) throws IOException {
        TableDefinition t = b.source();
        g.writeStartObject();
        g.writeStringField("TableName", t.tableName());
        g.writeStringField("TableId", t.tableId());
        g.writeStringField("TableArn", t.tableArn());
        g.writeStringField("BackupArn", b.backupArn());
        g.writeStringField("BackupName", b.backupName());
        TableDescriptions.writeTime(g, "BackupCreationDateTime", b.createdMillis());
        g.writeStringField("BackupStatus", b.status());
        g.writeStringField("BackupType", Backup.USER);
        g.writeNumberField("BackupSizeBytes", b.sizeBytes() == null ? 0 : b.sizeBytes());
        g.writeEndObject();
    }

    /** A backup's ProvisionedThroughput has the units alone (no dates or decrease count). */
    private static void writeCapacity(JsonGenerator g, Throughput p) throws IOException {
        g.writeObjectFieldStart("ProvisionedThroughput");
        g.writeNumberField("ReadCapacityUnits", p.readCapacityUnits());
        g.writeNumberField("WriteCapacityUnits", p.writeCapacityUnits());
        g.writeEndObject();
    }
}
