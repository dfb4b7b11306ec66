package dev.eddy.core.stream;

import dev.eddy.core.table.TableDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Kafka topic of a table's stream: {@code eddy.stream.<TableName>.<label digits>}, one per
 * stream (disabling and enabling a stream starts a new one, as in DynamoDB). Table names use only
 * characters Kafka allows; a name too long for a topic is replaced by its hash.
 */
public final class StreamTopics {
    static final String PREFIX = "eddy.stream.";
    private static final int MAX_TOPIC = 249;

    private StreamTopics() {
    }

    public static String topic(TableDefinition t) {
        return topic(t.tableName(), t.latestStreamLabel());
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
