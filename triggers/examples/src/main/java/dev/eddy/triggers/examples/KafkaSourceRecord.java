package dev.eddy.triggers.examples;

import dev.eddy.triggers.model.DynamodbEvent;
import dev.eddy.triggers.model.DynamodbStreamRecord;
import dev.eddy.triggers.model.StreamsEventResponse;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The entry for a Knative KafkaSource, which sends each Kafka record on its own as a CloudEvent
 * whose data is the record's value: one stream record. Eddy's records are CloudEvents on Kafka
 * already (type {@code aws.dynamodb.stream.INSERT}, {@code MODIFY} or {@code REMOVE}); a record
 * without those headers comes as {@code dev.knative.kafka.event}. Funqy routes CloudEvents by
 * type, and every type no other function is named for comes here
 * ({@code quarkus.funqy.knative-events.mapping.kafkaSourceRecord.trigger=*}); which trigger the
 * record is for is this deployment's {@code kafka-source.trigger} ({@code auditLog} or
 * {@code orderTotals}), one Knative Service per trigger. A record the trigger could not process
 * answers with an error, so the KafkaSource retries it (and then dead-letters it) per its
 * delivery settings, holding back its partition meanwhile when delivery is ordered.
 */
public class KafkaSourceRecord {

    @Inject
    AuditLog auditLog;
    @Inject
    OrderTotals orderTotals;

    @ConfigProperty(name = "kafka-source.trigger", defaultValue = "auditLog")
    String trigger;

    @Funq("kafkaSourceRecord")
    public void kafkaSourceRecord(DynamodbStreamRecord record) {
        DynamodbEvent batch = new DynamodbEvent(List.of(record));
        StreamsEventResponse response = switch (trigger) {
            case "auditLog" -> auditLog.auditLog(batch);
            case "orderTotals" -> orderTotals.orderTotals(batch);
            default -> throw new IllegalStateException("kafka-source.trigger must be auditLog or orderTotals, not " + trigger);
        };
        if (!response.batchItemFailures().isEmpty()) {
            throw new IllegalStateException(trigger + " could not process " + record.eventId());
        }
    }
}
