package dev.eddy.triggers.dispatcher;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Whether a record of a change topic was written by Eddy (the application that embeds the
 * dispatcher checks the record's seal). A record that fails is never delivered, never enters the
 * duplicate memory (a forged record with a high SequenceNumber would otherwise hide the item's real
 * ones) and is not dead-lettered: it is counted ({@link TriggerStats#forged()}) and skipped.
 */
@FunctionalInterface
public interface RecordCheck {
    boolean authentic(ConsumerRecord<byte[], byte[]> record);

    /** Takes every record: for a dispatcher run on its own, without Eddy's keys. */
    RecordCheck ANY = record -> true;
}
