package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.model.ItemSize;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One page of a Query or Scan as DynamoDB builds it (Developer Guide, "Paginating table query
 * results"): items are read in order until Limit items have been evaluated or 1 MB has been read,
 * both counted before the filter; ScannedCount counts what was read, Count what passed the filter;
 * LastEvaluatedKey names the last item read whenever the page stopped early, even when nothing
 * follows it.
 */
final class ReadPage {
    static final long MAX_PAGE_BYTES = 1024 * 1024;

    private final List<String> keyAttributes;
    private final int limit;
    private final Predicate<Map<String, AttributeValue>> filter;
    private final UnaryOperator<Map<String, AttributeValue>> projection;
    private final boolean countOnly;
    private final List<Map<String, AttributeValue>> items = new ArrayList<>();
    private int scanned;
    private int count;
    private long bytesRead;
    private Map<String, AttributeValue> lastEvaluatedKey;

    /** @param keyAttributes what LastEvaluatedKey holds: the table's key, and the index's when reading one */
    ReadPage(List<String> keyAttributes, Integer limit, Predicate<Map<String, AttributeValue>> filter,
             UnaryOperator<Map<String, AttributeValue>> projection, boolean countOnly) {
        this.keyAttributes = keyAttributes;
        this.limit = limit == null ? Integer.MAX_VALUE : limit;
        this.filter = filter;
        this.projection = projection;
        this.countOnly = countOnly;
    }

    /** Takes one item read from storage; false when the page is full and reading stops. */
    boolean offer(AttributeValue hash, AttributeValue sortKey, byte[] itemBytes) {
        return offer(ItemCodec.decode(itemBytes));
    }

    boolean offer(Map<String, AttributeValue> item) {
        scanned++;
        bytesRead += ItemSize.of(item);
        if (filter == null || filter.test(item)) {
            count++;
            if (!countOnly) {
                items.add(projection == null ? item : projection.apply(item));
            }
        }
        if (scanned >= limit || bytesRead >= MAX_PAGE_BYTES) {
            lastEvaluatedKey = new LinkedHashMap<>();
            for (String name : keyAttributes) {
                lastEvaluatedKey.put(name, item.get(name));
            }
            return false;
        }
        return true;
    }

    /** Read capacity: one unit per started 4 KB read, half when eventually consistent. */
    double readUnits(boolean consistent) {
        double units = Math.max(1, (bytesRead + 4095) / 4096);
        return consistent ? units : units / 2;
    }

    void write(JsonGenerator out) throws IOException {
        if (!countOnly) {
            out.writeArrayFieldStart("Items");
            for (Map<String, AttributeValue> item : items) {
                AttributeValueJson.writeItem(out, item);
            }
            out.writeEndArray();
        }
        out.writeNumberField("Count", count);
        out.writeNumberField("ScannedCount", scanned);
        if (lastEvaluatedKey != null) {
            out.writeFieldName("LastEvaluatedKey");
            AttributeValueJson.writeItem(out, lastEvaluatedKey);
        }
    }
}
