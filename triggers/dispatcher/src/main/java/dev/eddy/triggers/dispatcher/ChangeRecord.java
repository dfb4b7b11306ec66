package dev.eddy.triggers.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record from a change topic, kept as the bytes it arrived in (they go to the function
 * unchanged) with what the dispatcher needs from it: the item it belongs to, its SequenceNumber,
 * its age, and its parsed JSON for the filters.
 *
 * <p>A record that does not follow the record contract (not JSON, no {@code dynamodb.Keys}, no
 * decimal {@code dynamodb.SequenceNumber}) is {@link #invalid()}: it cannot be ordered or
 * de-duplicated, so it goes to the dead-letter topic instead of to the function.
 */
final class ChangeRecord {

    private static final ObjectMapper JSON = new ObjectMapper();

    final String topic;
    final int partition;
    final long offset;
    final byte[] key;
    final byte[] value;
    /** When the dispatcher read it (System.nanoTime), for the batching window. */
    final long intakeNanos;
    /** The change's time (ApproximateCreationDateTime, else the Kafka timestamp), for MaximumRecordAgeInSeconds. */
    final long createdAtMillis;
    final JsonNode json;
    /** The item's primary key in one canonical form: the same item always gives the same string. */
    final String item;
    final String sequenceNumber;
    final BigInteger sequence;
    /** Why the record cannot be delivered, or null. */
    final String invalidReason;

    private ChangeRecord(ConsumerRecord<byte[], byte[]> r, long intakeNanos, JsonNode json, String item,
            String sequenceNumber, BigInteger sequence, long createdAtMillis, String invalidReason) {
        this.topic = r.topic();
        this.partition = r.partition();
        this.offset = r.offset();
        this.key = r.key();
        this.value = r.value();
        this.intakeNanos = intakeNanos;
        this.createdAtMillis = createdAtMillis;
        this.json = json;
        this.item = item;
        this.sequenceNumber = sequenceNumber;
        this.sequence = sequence;
        this.invalidReason = invalidReason;
    }

    static ChangeRecord decode(ConsumerRecord<byte[], byte[]> r, long intakeNanos) {
        if (r.value() == null) {
            return invalid(r, intakeNanos, "the record has no value");
        }
        JsonNode json;
        try {
            json = JSON.readTree(r.value());
        } catch (IOException e) {
            return invalid(r, intakeNanos, "the value is not JSON: " + e.getMessage());
        }
        JsonNode change = json == null ? null : json.get("dynamodb");
        if (change == null || !change.isObject()) {
            return invalid(r, intakeNanos, "the value has no \"dynamodb\" object");
        }
        JsonNode keys = change.get("Keys");
        if (keys == null || !keys.isObject() || keys.isEmpty()) {
            return invalid(r, intakeNanos, "the record has no dynamodb.Keys");
        }
        JsonNode seq = change.get("SequenceNumber");
        BigInteger sequence = seq == null || !seq.isTextual() ? null : decimal(seq.asText());
        if (sequence == null) {
            return invalid(r, intakeNanos, "dynamodb.SequenceNumber is not a decimal string");
        }
        return new ChangeRecord(r, intakeNanos, json, canonicalKey(keys), seq.asText(), sequence,
                createdAtMillis(change.get("ApproximateCreationDateTime"), r.timestamp()), null);
    }

    private static ChangeRecord invalid(ConsumerRecord<byte[], byte[]> r, long intakeNanos, String reason) {
        return new ChangeRecord(r, intakeNanos, null, null, null, null, r.timestamp(), reason);
    }

    boolean invalid() {
        return invalidReason != null;
    }

    /** Bytes this record adds to a batch body: its value and a separating comma. */
    int payloadBytes() {
        return (value == null ? 0 : value.length) + 1;
    }

    private static BigInteger decimal(String s) {
        if (s.isEmpty() || s.length() > 100 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return new BigInteger(s);
    }

    /** Epoch seconds (possibly fractional, possibly a numeric string) to millis; else the Kafka timestamp. */
    private static long createdAtMillis(JsonNode seconds, long kafkaTimestamp) {
        try {
            if (seconds != null && (seconds.isNumber() || seconds.isTextual())) {
                return new BigDecimal(seconds.asText()).movePointRight(3).longValue();
            }
        } catch (NumberFormatException ignored) {
            // fall back to when the record reached the topic
        }
        return kafkaTimestamp;
    }

    /**
     * {@code name=type:value} pairs sorted by attribute name, numbers in their plain normalised
     * form, so two encodings of the same key ({@code 1} and {@code 1.0}, any field order) agree.
     */
    static String canonicalKey(JsonNode keys) {
        List<String> names = new ArrayList<>();
        keys.fieldNames().forEachRemaining(names::add);
        Collections.sort(names);
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            JsonNode attribute = keys.get(name);
            String type = attribute.fieldNames().hasNext() ? attribute.fieldNames().next() : "";
            String text = attribute.path(type).asText();
            if ("N".equals(type)) {
                try {
                    text = new BigDecimal(text).stripTrailingZeros().toPlainString();
                } catch (NumberFormatException keepAsIs) {
                    // an invalid number is still a stable key
                }
            }
            sb.append(name.length()).append(':').append(name).append('=').append(type).append(':')
                    .append(text.length()).append(':').append(text).append(';');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + (sequenceNumber == null ? "" : " seq " + sequenceNumber);
    }
}
