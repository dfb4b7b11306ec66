package dev.eddy.triggers.dispatcher;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Optional;

/**
 * The naming of change topics: one topic per table stream, {@code eddy.stream.<TableName>.<label>}
 * where the label is the stream label's digits. A table that had its stream turned off and on
 * again, or was deleted and created again, has several; the newest (largest label) is its current
 * stream.
 */
public final class StreamTopics {

    private static final String PREFIX = "eddy.stream.";

    private StreamTopics() {
    }

    /** {@code eddy.stream.<table>.}: every stream topic of the table starts with it. */
    public static String prefix(String table) {
        return PREFIX + table + ".";
    }

    /** The table's newest stream topic among these topic names. */
    public static Optional<String> newest(String table, Collection<String> topics) {
        String prefix = prefix(table);
        String newest = null;
        BigInteger newestLabel = null;
        for (String topic : topics) {
            if (!topic.startsWith(prefix)) {
                continue;
            }
            String label = topic.substring(prefix.length());
            // a longer table name with the same start ("T.x.123" for table "T") is not ours
            if (label.isEmpty() || !label.chars().allMatch(c -> c >= '0' && c <= '9')) {
                continue;
            }
            BigInteger value = new BigInteger(label);
            if (newestLabel == null || value.compareTo(newestLabel) > 0) {
                newest = topic;
                newestLabel = value;
            }
        }
        return Optional.ofNullable(newest);
    }
}
