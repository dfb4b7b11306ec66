package dev.eddy.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import dev.eddy.core.expression.Condition;
import dev.eddy.core.expression.Expected;
import dev.eddy.core.expression.Expressions;
import dev.eddy.core.expression.Placeholders;
import dev.eddy.core.expression.Projection;

/** What Query and Scan share: Select, projections, ExclusiveStartKey, index names. */
final class ReadRequests {
    static final List<String> SELECT = List.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES",
            "COUNT");
    private ReadRequests() {
    }

    /** What a Query or Scan keeps of each item read, and which items it returns. */
    record Shaping(Condition filter, UnaryOperator<Map<String, AttributeValue>> projection, boolean projected) {
    }

    /**
     * FilterExpression or the legacy filter (QueryFilter / ScanFilter with ConditionalOperator), and
     * ProjectionExpression or AttributesToGet, parsed once with the request's placeholders.
     */
    static Shaping shaping(Request r, Placeholders placeholders, String legacyFilter, Set<String> attributesToGet) {
        String filterText = r.string("FilterExpression");
        String projectionText = r.string("ProjectionExpression");
        Condition filter = null;
        if (filterText != null) {
            filter = Expressions.filter(filterText, placeholders);
        } else {
            Map<String, Expected.Expectation> legacy = ItemRequests.expected(r, legacyFilter,
                    Character.toLowerCase(legacyFilter.charAt(0)) + legacyFilter.substring(1));
            if (legacy != null) {
                filter = Expected.condition(legacy, r.string("ConditionalOperator"));
            }
        }
        UnaryOperator<Map<String, AttributeValue>> projection = null;
        if (projectionText != null) {
            Projection p = Expressions.projection(projectionText, placeholders);
            projection = p::project;
        } else if (attributesToGet != null) {
            projection = projection(attributesToGet);
        }
        return new Shaping(filter, projection, projectionText != null || attributesToGet != null);
    }

    /** Select's rules (API Reference, Query and Scan: "Select"). */
    static void checkSelect(String select, boolean projected, String indexName) {
        if (select == null) {
            return;
        }
        if ("SPECIFIC_ATTRIBUTES".equals(select) && !projected) {
            throw Errors.validation("Must specify the AttributesToGet or ProjectionExpression when choosing to get "
                    + "SPECIFIC_ATTRIBUTES");
        }
        if (!"SPECIFIC_ATTRIBUTES".equals(select) && projected) {
            throw Errors.validation("Cannot specify the AttributesToGet when choosing to get " + select);
        }
        if ("ALL_PROJECTED_ATTRIBUTES".equals(select) && indexName == null) {
            throw Errors.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
    }

    static UnaryOperator<Map<String, AttributeValue>> projection(Set<String> attributesToGet) {
        if (attributesToGet == null) {
            return null;
        }
        return item -> ItemRequests.attributesToGet(item, attributesToGet);
    }

    /** ExclusiveStartKey: exactly the table's key attributes. */
    static PrimaryKey exclusiveStartKey(TableDefinition t, Map<String, AttributeValue> start) {
        if (start == null) {
            return null;
        }
        try {
            return ItemKeys.fromKey(t, start);
        } catch (RuntimeException e) {
            throw Errors.validation("The provided starting key is invalid: The provided key element does not match "
                    + "the schema");
        }
    }

    static Integer limit(Request r) {
        Long limit = r.integer("Limit");
        r.range("limit", limit, 1, Integer.MAX_VALUE);
        return limit == null ? null : limit.intValue();
    }

}
