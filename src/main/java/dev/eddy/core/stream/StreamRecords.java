package dev.eddy.core.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemSize;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Change records as DynamoDB Streams shapes them (API Reference, DynamoDB Streams "Record" and
 * "StreamRecord"): eventID, eventName INSERT / MODIFY / REMOVE, eventVersion, eventSource,
 * awsRegion, eventSourceARN, and {@code dynamodb} with ApproximateCreationDateTime, Keys, the
 * images the view type asks for, SequenceNumber, SizeBytes and StreamViewType. A deletion by
 * Time to Live carries {@code userIdentity} naming the DynamoDB service.
 *
 * <p>On Kafka a record's key is the item's key in DynamoDB JSON (so one item's records share a
 * partition and keep their order) and its value the record's JSON.
 */
public final class StreamRecords {
    private static final JsonFactory JSON = new JsonFactory();

    private StreamRecords() {
    }

    /** A record as it goes to Kafka. */
    public record Message(String topic, byte[] key, byte[] value) {
    }

    /** The Kafka message for a change of an item of a table with an enabled stream. */
    public static Message message(String region, TableDefinition t, PrimaryKey key, Map<String, AttributeValue> oldItem,
                                  Map<String, AttributeValue> newItem, long sequence, boolean byTimeToLive) {
        Map<String, AttributeValue> keys = ItemKeys.keyAttributes(t, key);
        byte[] kafkaKey = json(g -> AttributeValueJson.writeItem(g, keys));
        String viewType = t.streamSpec().viewType();
        boolean withNew = newItem != null && ("NEW_IMAGE".equals(viewType) || "NEW_AND_OLD_IMAGES".equals(viewType));
        boolean withOld = oldItem != null && ("OLD_IMAGE".equals(viewType) || "NEW_AND_OLD_IMAGES".equals(viewType));
        String eventName = oldItem == null ? "INSERT" : newItem == null ? "REMOVE" : "MODIFY";
        long sizeBytes = ItemSize.of(keys) + (withNew ? ItemSize.of(newItem) : 0) + (withOld ? ItemSize.of(oldItem) : 0);
        byte[] value = json(g -> {
            g.writeStartObject();
            g.writeStringField("eventID", eventId());
            g.writeStringField("eventName", eventName);
            g.writeStringField("eventVersion", "1.1");
            g.writeStringField("eventSource", "aws:dynamodb");
            g.writeStringField("awsRegion", region);
            g.writeStringField("eventSourceARN", t.latestStreamArn());
            g.writeObjectFieldStart("dynamodb");
            g.writeNumberField("ApproximateCreationDateTime", sequence / 1_000_000);
            g.writeFieldName("Keys");
            AttributeValueJson.writeItem(g, keys);
            if (withNew) {
                g.writeFieldName("NewImage");
                AttributeValueJson.writeItem(g, newItem);
            }
            if (withOld) {
                g.writeFieldName("OldImage");
                AttributeValueJson.writeItem(g, oldItem);
            }
            g.writeStringField("SequenceNumber", sequenceNumber(sequence));
            g.writeNumberField("SizeBytes", sizeBytes);
            g.writeStringField("StreamViewType", viewType);
            g.writeEndObject();
            if (byTimeToLive) {
                g.writeObjectFieldStart("userIdentity");
                g.writeStringField("type", "Service");
                g.writeStringField("principalId", "dynamodb.amazonaws.com");
                g.writeEndObject();
            }
            g.writeEndObject();
        });
        return new Message(StreamTopics.topic(t), kafkaKey, value);
    }

    /** Sequence numbers as decimal strings of one width, so they compare alike as text and as numbers. */
    public static String sequenceNumber(long sequence) {
        return String.format("%021d", sequence);
    }

    /** The change sequence in a record's JSON (its dynamodb.SequenceNumber), or -1. */
    public static long sequenceOfValue(byte[] value) {
        String json = new String(value, java.nio.charset.StandardCharsets.UTF_8);
        int at = json.indexOf("\"SequenceNumber\":\"");
        if (at < 0) {
            return -1;
        }
        int start = at + "\"SequenceNumber\":\"".length();
        return Long.parseLong(json.substring(start, json.indexOf('"', start)));
    }

    private static String eventId() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    @FunctionalInterface
    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] json(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
