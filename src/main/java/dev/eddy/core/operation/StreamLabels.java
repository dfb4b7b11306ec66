package dev.eddy.core.operation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Stream labels are ISO 8601 timestamps of when the stream was enabled, as DynamoDB's are. */
final class StreamLabels {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private StreamLabels() {
    }

    static String at(long millis) {
        return FORMAT.format(Instant.ofEpochMilli(millis));
    }
}
