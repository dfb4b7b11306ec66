package dev.eddy.triggers.mappings;

import dev.eddy.core.stream.StreamTopics;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mapping's EventSourceArn: a table's stream, {@code arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>}.
 * Each stream has its own topic, so a mapping reads exactly its stream: a table deleted and created
 * again, or a stream disabled and enabled again, is a new stream the mapping never sees.
 */
record StreamSource(String arn, String tableName, String label) {
    private static final Pattern STREAM_ARN =
            Pattern.compile("arn:aws[a-zA-Z-]*:dynamodb:([a-z0-9-]+):(\\d{12}):table/([a-zA-Z0-9_.-]{3,255})/stream/(.+)");

    /** The stream an ARN names in this region and account, or null when it names none. */
    static StreamSource parse(String arn, String region, String accountId) {
        Matcher m = STREAM_ARN.matcher(arn);
        if (!m.matches() || !m.group(1).equals(region) || !m.group(2).equals(accountId)) {
            return null;
        }
        return new StreamSource(arn, m.group(3), m.group(4));
    }

    /** The Kafka topic holding the stream's records. */
    String topic() {
        return StreamTopics.topic(tableName, label);
    }

    /** Whether the stream is its table's current one, enabled: the only kind that gets new records. */
    boolean live(TableCatalog catalog) {
        TableDefinition t = catalog.find(tableName);
        return t != null && !TableDefinition.DELETING.equals(t.status()) && t.streamSpec() != null
                && t.streamSpec().enabled() && arn.equals(t.latestStreamArn());
    }
}
