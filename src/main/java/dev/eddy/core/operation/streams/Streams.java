package dev.eddy.core.operation.streams;

import dev.eddy.core.operation.OperationContext;
import dev.eddy.core.error.Errors;
import dev.eddy.core.stream.StreamReader;
import dev.eddy.core.stream.StreamTopics;
import dev.eddy.core.table.TableDefinition;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * What the DynamoDB Streams operations share: a stream is its table's latest stream (ARN
 * {@code <table ARN>/stream/<label>}); its shards are the partitions of the stream's Kafka topic;
 * a record's SequenceNumber is its position in the shard (offset and partition), so iterators
 * and sequence numbers map onto Kafka positions exactly.
 */
final class Streams {
    /** DynamoDB Streams shard iterators expire 15 minutes after they are issued. */
    static final long ITERATOR_LIFETIME_MILLIS = 15 * 60 * 1000;
    private static final long PARTITIONS = 1000;

    private Streams() {
    }

    /** A stream named by its ARN, with the table it belongs to. */
    record Stream(String arn, TableDefinition table, String label) {
        String topic() {
            return StreamTopics.topic(table.tableName(), label);
        }

        boolean enabled() {
            return table.streamSpec() != null && table.streamSpec().enabled();
        }

        /** The view type the stream was created with; a disabled stream keeps it. */
        String viewType() {
            return table.streamSpec() == null ? "NEW_AND_OLD_IMAGES" : table.streamSpec().viewType();
        }

        long createdMillis() {
            return LocalDateTime.parse(label).toInstant(ZoneOffset.UTC).toEpochMilli();
        }

        /**
         * DescribeStream's StreamStatus. A stream UpdateTable enabled on a table is ENABLING until every
         * writer acts on it ({@code writersLearnMillis}): a writer still holding the table without it
         * records no change, so records are promised for writes from ENABLED on (DynamoDB's stream, too,
         * is ENABLING for a moment). A stream created with its table is ENABLED at once: no writer held
         * the table before it.
         */
        String status(long writersLearnMillis, long now) {
            if (!enabled()) {
                return "DISABLED";
            }
            boolean enabledLater = label.equals(table.latestStreamLabel()) && createdMillis() != table.createdMillis();
            return enabledLater && now - createdMillis() < writersLearnMillis ? "ENABLING" : "ENABLED";
        }
    }

    static StreamReader reader(OperationContext context) {
        StreamReader reader = context.streamReader();
        if (reader == null) {
            throw Errors.validation("Streams are not available: this Eddy has no Kafka configured");
        }
        return reader;
    }

    /**
     * Refuses an ARN that cannot be a stream's at all, before its other checks, as DynamoDB Streams
     * does; a well-formed ARN that names no stream is {@link #find}'s ResourceNotFoundException.
     */
    static void checkArn(String arn) {
        if (arn == null) {
            return;
        }
        int at = arn.indexOf(":table/");
        int streamAt = arn.indexOf("/stream/");
        if (!arn.startsWith("arn:") || at < 0 || streamAt <= at + ":table/".length()
                || streamAt + "/stream/".length() == arn.length()) {
            throw Errors.invalidStreamArn();
        }
    }

    static Stream find(OperationContext context, String arn) {
        int at = arn.indexOf(":table/");
        int streamAt = arn.indexOf("/stream/");
        if (at < 0 || streamAt < at) {
            throw Errors.streamNotFound(arn);
        }
        String tableName = arn.substring(at + ":table/".length(), streamAt);
        String label = arn.substring(streamAt + "/stream/".length());
        TableDefinition t = context.catalog().find(tableName);
        if (t == null || !label.equals(t.latestStreamLabel()) || !arn.equals(t.latestStreamArn())) {
            throw Errors.streamNotFound(arn);
        }
        return new Stream(arn, t, label);
    }

    static String shardId(Stream s, int partition) {
        return String.format("shardId-%020d-%08x", s.createdMillis(), partition);
    }

    static int partitionOf(Stream s, String shardId) {
        String prefix = String.format("shardId-%020d-", s.createdMillis());
        if (shardId == null || !shardId.startsWith(prefix) || shardId.length() != prefix.length() + 8) {
            throw Errors.shardNotFound(shardId, s.arn());
        }
        try {
            return Integer.parseInt(shardId.substring(prefix.length()), 16);
        } catch (NumberFormatException e) {
            throw Errors.shardNotFound(shardId, s.arn());
        }
    }

    static String sequenceNumber(long offset, int partition) {
        return String.format("%021d", (offset + 1) * PARTITIONS + partition);
    }

    /** The offset a sequence number names within its shard; refused when it belongs to another shard. */
    static long offsetOf(String sequenceNumber, int partition) {
        try {
            long n = Long.parseLong(sequenceNumber);
            if (n % PARTITIONS != partition || n < PARTITIONS) {
                throw Errors.invalidSequenceNumber(sequenceNumber);
            }
            return n / PARTITIONS - 1;
        } catch (NumberFormatException e) {
            throw Errors.invalidSequenceNumber(sequenceNumber);
        }
    }

    static String iterator(Stream s, int partition, long offset, long issuedMillis) {
        String text = s.arn() + "|" + partition + "|" + offset + "|" + issuedMillis;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A decoded shard iterator. */
    record Position(String streamArn, int partition, long offset, long issuedMillis) {
    }

    static Position position(String iterator) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(iterator), StandardCharsets.UTF_8);
            int c = text.lastIndexOf('|');
            int b = text.lastIndexOf('|', c - 1);
            int a = text.lastIndexOf('|', b - 1);
            return new Position(text.substring(0, a), Integer.parseInt(text.substring(a + 1, b)),
                    Long.parseLong(text.substring(b + 1, c)), Long.parseLong(text.substring(c + 1)));
        } catch (RuntimeException e) {
            throw Errors.validation("Invalid ShardIterator");
        }
    }
}
