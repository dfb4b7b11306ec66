package dev.eddy.core.stream;

import dev.eddy.core.table.TableDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Kafka topic of a table's stream: {@code eddy.stream.<TableName>.<label digits>}, one per
 * stream (disabling and enabling a stream starts a new one, as in DynamoDB, and the Streams API and
 * event source mappings read one stream's topic). Table names use only characters Kafka allows; a
 * name too long for a topic is replaced by its hash.
 *
 * <p>Each record also goes to the table's changes topic, {@code eddy.changes.<TableName>}, whose
 * name never changes: the records of all the table's streams, and of a table of that name created
 * again, in the order they were written. A KafkaSource or any consumer that follows a table by name
 * subscribes there and needs no stream label; the records' {@code ce_source} header (the stream
 * ARN) tells the streams apart.
 */
public final class StreamTopics {
    static final String PREFIX = "eddy.stream.";
    public static final String CHANGES_PREFIX = "eddy.changes.";
    private static final int MAX_TOPIC = 249;

    private StreamTopics() {
    }

    public static String topic(TableDefinition t) {
        return topic(t.tableName(), t.latestStreamLabel());
    }

    /** The table's changes topic, from one of its stream topics (a hashed name stays hashed). */
    public static String changesTopic(String streamTopic) {
        String table = streamTopic.substring(PREFIX.length(), streamTopic.lastIndexOf('.'));
        return CHANGES_PREFIX + table;
    }

    /** The table's changes topic by table name (stream labels always have 17 digits: yyyyMMddHHmmssSSS). */
    public static String changesTopicOf(String tableName) {
        return changesTopic(topic(tableName, "00000000000000000"));
    }

    public static String topic(String tableName, String streamLabel) {
        String digits = streamLabel.replaceAll("[^0-9]", "");
        String topic = PREFIX + tableName + "." + digits;
        if (topic.length() <= MAX_TOPIC) {
            return topic;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(tableName.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(hash, 0, 16) + "." + digits;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
