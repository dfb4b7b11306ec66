package dev.eddy.core.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The CloudEvents attributes every stream record carries on Kafka, in the Kafka protocol binding's
 * binary mode (CloudEvents spec, kafka-protocol-binding: {@code ce_} headers, the record value is
 * the event's data and {@code content-type} its media type). A Knative KafkaSource passes such a
 * record on as the CloudEvent it is, so Broker and Trigger filters can match on the change's type.
 *
 * <ul>
 * <li>{@code ce_id}: the record's eventID (unique per change);</li>
 * <li>{@code ce_type}: {@code aws.dynamodb.stream.INSERT}, {@code .MODIFY} or {@code .REMOVE};</li>
 * <li>{@code ce_source}: the stream's ARN (a new stream, a new source);</li>
 * <li>{@code ce_subject}: the item's key in DynamoDB JSON, as the Kafka key has it.</li>
 * </ul>
 * Computed when a record is sent, from the record itself: the outbox keeps records as they were
 * written, so records written before this existed get the same headers.
 */
public final class CloudEventHeaders {
    public static final String TYPE_PREFIX = "aws.dynamodb.stream.";
    private static final JsonFactory JSON = new JsonFactory();

    private CloudEventHeaders() {
    }

    public static Headers of(StreamRecords.Message m) {
        String[] fields = topFields(m.value());
        RecordHeaders h = new RecordHeaders();
        h.add("ce_specversion", utf8("1.0"));
        h.add("ce_id", utf8(fields[0]));
        h.add("ce_type", utf8(TYPE_PREFIX + fields[1]));
        h.add("ce_source", utf8(fields[2]));
        h.add("ce_subject", m.key());
        h.add("content-type", utf8("application/json"));
        return h;
    }

    /**
     * eventID, eventName and eventSourceARN, read from the top of the record: they come before its
     * {@code dynamodb} part, whose images are skipped unread.
     */
    private static String[] topFields(byte[] value) {
        String[] found = {"", "", ""};
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return found;
            }
            int left = 3;
            while (left > 0 && p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                int slot = switch (name) {
                    case "eventID" -> 0;
                    case "eventName" -> 1;
                    case "eventSourceARN" -> 2;
                    default -> -1;
                };
                if (slot >= 0 && t == JsonToken.VALUE_STRING) {
                    found[slot] = p.getText();
                    left--;
                } else {
                    p.skipChildren();
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
