package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scan: every item of the table (or of one parallel-scan segment), a page at a time, in the stable
 * order {@link dev.eddy.core.storage.ItemStore#scan} defines.
 */
public final class Scan implements BlockingOperation {
    private static final long MAX_TOTAL_SEGMENTS = 1_000_000;

    private final OperationContext context;

    public Scan(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "Scan";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        String indexName = r.string("IndexName");
        r.name("indexName", indexName, false);
        String select = r.oneOf("Select", ReadRequests.SELECT);
        Integer limit = ReadRequests.limit(r);
        Boolean consistentRead = r.bool("ConsistentRead");
        String capacity = r.oneOf("ReturnConsumedCapacity", ItemRequests.RETURN_CAPACITY);
        Set<String> attributesToGet = GetItem.attributesToGet(r);
        Long segment = r.integer("Segment");
        Long totalSegments = r.integer("TotalSegments");
        r.range("totalSegments", totalSegments, 1, MAX_TOTAL_SEGMENTS);
        r.range("segment", segment, 0, totalSegments != null && totalSegments >= 1 && totalSegments <= MAX_TOTAL_SEGMENTS
                ? totalSegments - 1 : MAX_TOTAL_SEGMENTS - 1);
        Map<String, AttributeValue> startKey = ItemRequests.map(r, "ExclusiveStartKey");
        r.check();
        if (segment != null && totalSegments == null) {
            throw Errors.validation("The TotalSegments parameter is required but was not present in the request when "
                    + "Segment parameter is present");
        }
        if (totalSegments != null && segment == null) {
            throw Errors.validation("The Segment parameter is required but was not present in the request when "
                    + "parameter TotalSegments is present");
        }
        ItemRequests.checkParameterStyles(r, List.of("ProjectionExpression", "FilterExpression"),
                List.of("FilterExpression"), List.of("AttributesToGet", "ScanFilter", "ConditionalOperator"));
        Placeholders placeholders = ItemRequests.placeholders(r, true);
        ReadRequests.Shaping shaping = ReadRequests.shaping(r, placeholders, "ScanFilter", attributesToGet);
        placeholders.checkAllUsed();
        ReadRequests.checkSelect(select, shaping.projected(), indexName);

        TableDefinition t = Tables.forItems(context, name);
        ReadTarget target = ReadTarget.of(t, indexName);
        ReadRequests.checkPaths(t, indexName, shaping, false);
        target.checkRead(consistentRead, select);
        Map<String, AttributeValue> start = target.startKey(startKey);
        int seg = segment == null ? 0 : segment.intValue();
        int total = totalSegments == null ? 1 : totalSegments.intValue();
        if (start != null && !target.inSegment(context, start, seg, total)) {
            throw Errors.validation("The provided Exclusive start key does not map to the provided Segment and "
                    + "TotalSegments values.");
        }
        boolean consistent = Boolean.TRUE.equals(consistentRead);
        ReadPage page = new ReadPage(target.keyAttributes(), limit,
                shaping.filter() == null ? null : shaping.filter()::matches, shaping.projection(), "COUNT".equals(select));
        target.scan(context, seg, total, start, consistent, "ALL_ATTRIBUTES".equals(select) || shaping.projected(),
                page::offer);
        page.write(out);
        ItemRequests.writeCapacity(out, capacity, t, () -> page.readUnits(consistent));
    }
}
