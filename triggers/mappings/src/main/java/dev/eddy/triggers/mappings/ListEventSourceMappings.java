package dev.eddy.triggers.mappings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.error.LambdaErrors;
import java.util.List;

/**
 * {@code GET /2015-03-31/event-source-mappings?EventSourceArn=&FunctionName=&Marker=&MaxItems=}: the
 * mappings, oldest first, of a stream and/or a function, in pages of MaxItems (default 100) with
 * NextMarker to go on from.
 */
public final class ListEventSourceMappings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ListEventSourceMappings() {
    }

    public static ObjectNode run(MappingContext c, String eventSourceArn, String functionName, String marker,
                                 String maxItems) {
        int max = 100;
        if (maxItems != null) {
            try {
                max = Integer.parseInt(maxItems);
            } catch (NumberFormatException e) {
                throw LambdaErrors.invalidParameter("MaxItems must be an integer");
            }
            if (max < 1 || max > 10_000) {
                throw LambdaErrors.outOfRange("maxItems", max, max < 1 ? "Member must have value greater than or "
                        + "equal to 1" : "Member must have value less than or equal to 10000");
            }
        }
        String functionArn = functionName == null ? null : FunctionDirectory.url(functionName) != null ? functionName
                : FunctionDirectory.nameOf(functionName) == null ? functionName
                : c.functionArn(FunctionDirectory.nameOf(functionName));
        List<EventSourceMapping> all = c.mappings().all().stream()
                .filter(m -> eventSourceArn == null || m.eventSourceArn().equals(eventSourceArn))
                .filter(m -> functionArn == null || m.functionArn().equals(functionArn))
                .toList();
        int from = 0;
        if (marker != null && !marker.isEmpty()) {
            from = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).uuid().equals(marker)) {
                    from = i;
                }
            }
            if (from < 0) {
                throw LambdaErrors.invalidParameter("Invalid Marker: " + marker);
            }
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode page = out.putArray("EventSourceMappings");
        int to = Math.min(all.size(), from + max);
        for (int i = from; i < to; i++) {
            page.add(all.get(i).toResponse(c.region(), c.accountId()));
        }
        if (to < all.size()) {
            out.put("NextMarker", all.get(to).uuid());
        }
        return out;
    }
}
