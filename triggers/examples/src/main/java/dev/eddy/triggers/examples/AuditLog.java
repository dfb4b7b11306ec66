package dev.eddy.triggers.examples;

import dev.eddy.triggers.model.DynamodbEvent;
import dev.eddy.triggers.model.DynamodbStreamRecord;
import dev.eddy.triggers.model.StreamRecord;
import dev.eddy.triggers.model.StreamsEventResponse;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An audit log: every change to a table becomes an item in an Eddy table ({@code audit.table},
 * default {@code AuditLog}), written through the AWS SDK.
 *
 * <p>One item per change, keyed by the changed item ({@code Item}: table name and key) and its
 * SequenceNumber ({@code Sequence}), so a Query on {@code Item} lists an item's history in order,
 * and writing the same change twice (a retried batch) writes the same item again: harmless.
 * Attributes: {@code Table}, {@code EventName}, {@code EventID}, {@code ChangedAt},
 * {@code Keys}, {@code OldImage}, {@code NewImage} (as the stream has them),
 * {@code ChangedAttributes} (names whose value differs) and {@code ByTimeToLive} (true when Time
 * to Live deleted the item).
 *
 * <p>Records are written in order; when a write fails the function reports that record as failed
 * (ReportBatchItemFailures), so the dispatcher retries from it and nothing later is lost.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    @Inject
    DynamoDbClient dynamo;

    @ConfigProperty(name = "audit.table", defaultValue = "AuditLog")
    String auditTable;

    /** A batch from the dispatcher: {@code POST /auditLog}. */
    @Funq("auditLog")
    public StreamsEventResponse auditLog(DynamodbEvent event) {
        EddyTables.ensure(dynamo, auditTable, "Item", "Sequence");
        for (DynamodbStreamRecord record : event.records()) {
            try {
                dynamo.putItem(r -> r.tableName(auditTable).item(entry(record)));
            } catch (SdkException e) {
                LOG.warnf("Audit entry for %s failed, asking for a retry from there: %s", record.eventId(), e.getMessage());
                return StreamsEventResponse.failedFrom(record);
            }
        }
        return StreamsEventResponse.success();
    }

    private static Map<String, AttributeValue> entry(DynamodbStreamRecord record) {
        StreamRecord change = record.dynamodb();
        String table = record.tableName();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("Item", s(table + " " + AttributeValues.describe(change.keys())));
        item.put("Sequence", AttributeValue.fromN(change.sequenceNumber()));
        item.put("Table", s(table));
        item.put("EventName", s(record.eventName()));
        item.put("EventID", s(record.eventId()));
        Instant at = change.approximateCreationTime();
        if (at != null) {
            item.put("ChangedAt", s(at.toString()));
        }
        item.put("Keys", AttributeValue.fromM(AttributeValues.toSdk(change.keys())));
        if (change.oldImage() != null) {
            item.put("OldImage", AttributeValue.fromM(AttributeValues.toSdk(change.oldImage())));
        }
        if (change.newImage() != null) {
            item.put("NewImage", AttributeValue.fromM(AttributeValues.toSdk(change.newImage())));
        }
        List<String> changed = AttributeValues.changedAttributes(change.oldImage(), change.newImage());
        if (!changed.isEmpty()) {
            item.put("ChangedAttributes", AttributeValue.fromSs(changed));
        }
        item.put("ByTimeToLive", AttributeValue.fromBool(record.isTimeToLiveDeletion()));
        return item;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
