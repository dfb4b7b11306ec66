package dev.eddy.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.ItemKeys;
import dev.eddy.core.table.TableDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import dev.eddy.core.expression.Condition;
import dev.eddy.core.expression.ConditionPaths;
import dev.eddy.core.expression.DocumentPath;
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

    /**
     * What a Query or Scan keeps of each item read, and which items it returns, with the paths each
     * reads (checked against the table's keys and the index's projection).
     *
     * @param filterMember how DynamoDB names the filter in its errors: "Filter Expression", or the
     *                     legacy member's name; null without a filter
     */
    record Shaping(Condition filter, UnaryOperator<Map<String, AttributeValue>> projection, boolean projected,
                   String filterMember, List<DocumentPath> filterPaths, List<DocumentPath> projectionPaths) {
    }

    /**
     * FilterExpression or the legacy filter (QueryFilter / ScanFilter with ConditionalOperator), and
     * ProjectionExpression or AttributesToGet, parsed once with the request's placeholders.
     */
    static Shaping shaping(Request r, Placeholders placeholders, String legacyFilter, Set<String> attributesToGet) {
        String filterText = r.string("FilterExpression");
        String projectionText = r.string("ProjectionExpression");
        Condition filter = null;
        String filterMember = null;
        List<DocumentPath> filterPaths = List.of();
        if (filterText != null) {
            filter = Expressions.filter(filterText, placeholders);
            filterMember = "Filter Expression";
            filterPaths = ConditionPaths.of(filter);
        } else {
            Map<String, Expected.Expectation> legacy = ItemRequests.expected(r, legacyFilter,
                    Character.toLowerCase(legacyFilter.charAt(0)) + legacyFilter.substring(1));
            String conditionalOperator = r.oneOf("ConditionalOperator", Expected.CONDITIONAL_OPERATORS);
            // The filter's operators and ConditionalOperator are enums: a value outside them is a
            // constraint violation, reported before the filter is built from them.
            r.check();
            if (legacy != null) {
                filter = Expected.condition(legacy, conditionalOperator);
                filterMember = legacyFilter;
                filterPaths = legacy.keySet().stream().map(DocumentPath::of).toList();
            } else if (conditionalOperator != null) {
                Expected.condition(null, conditionalOperator);
            }
        }
        UnaryOperator<Map<String, AttributeValue>> projection = null;
        List<DocumentPath> projectionPaths = List.of();
        if (projectionText != null) {
            Projection p = Expressions.projection(projectionText, placeholders);
            projection = p::project;
            projectionPaths = p.paths();
        } else if (attributesToGet != null) {
            projection = projection(attributesToGet);
            projectionPaths = attributesToGet.stream().map(DocumentPath::of).toList();
        }
        return new Shaping(filter, projection, projectionText != null || attributesToGet != null, filterMember,
                filterPaths, projectionPaths);
    }

    /**
     * The rules on what a read's paths may name (in DynamoDB's order): no nested path into a key
     * attribute of the table or of an index; in a Query, no filter on the key attributes the read
     * goes by; on an index that does not project everything, no filter on what it does not project,
     * and on a global index no projection of it either (a local index fetches the rest from the table).
     */
    /** @param query a client's Query, whose filter may not name the key it goes by */
    static void checkPaths(TableDefinition t, String indexName, Shaping s, boolean query) {
        checkScalarKeys(t, s.projectionPaths());
        IndexDefinition index = indexName == null ? null : t.index(indexName);
        if (query && s.filterMember() != null) {
            String hash = index == null ? t.hashKey() : index.hashKey();
            String range = index == null ? t.rangeKey() : index.rangeKey();
            for (String key : java.util.Arrays.asList(hash, range)) {
                if (key != null && s.filterPaths().stream().anyMatch(p -> p.attribute().equals(key))) {
                    throw Errors.filterOnKey(s.filterMember(), key);
                }
            }
        }
        if (index != null && !index.projectsAll()) {
            List<String> filtered = notProjected(t, index, s.filterPaths());
            if (!filtered.isEmpty()) {
                throw Errors.filterNotProjected(indexName, filtered);
            }
            List<String> projected = notProjected(t, index, s.projectionPaths());
            if (t.isGlobalIndex(index) && !projected.isEmpty()) {
                throw Errors.projectionNotProjected(indexName, projected);
            }
        }
        checkScalarKeys(t, s.filterPaths());
    }

    /** "Key attributes must be scalars": a path with [n] or . after a key attribute of the table or an index. */
    static void checkScalarKeys(TableDefinition t, List<DocumentPath> paths) {
        for (DocumentPath p : paths) {
            if (p.isTopLevel()) {
                continue;
            }
            String head = p.attribute();
            if (head.equals(t.hashKey()) || head.equals(t.rangeKey())) {
                throw Errors.keyConditionNestedKey(head);
            }
            for (IndexDefinition i : allIndexes(t)) {
                if (head.equals(i.hashKey()) || head.equals(i.rangeKey())) {
                    throw Errors.nestedIndexKey(head);
                }
            }
        }
    }

    private static List<IndexDefinition> allIndexes(TableDefinition t) {
        List<IndexDefinition> all = new java.util.ArrayList<>(t.localSecondaryIndexes());
        all.addAll(t.globalSecondaryIndexes());
        return all;
    }

    /** The top-level attributes of {@code paths} the index does not hold, sorted, each once. */
    private static List<String> notProjected(TableDefinition t, IndexDefinition index, List<DocumentPath> paths) {
        java.util.TreeSet<String> missing = new java.util.TreeSet<>();
        List<String> nonKey = index.projection().nonKeyAttributes() == null ? List.of()
                : index.projection().nonKeyAttributes();
        for (DocumentPath p : paths) {
            String a = p.attribute();
            if (!a.equals(t.hashKey()) && !a.equals(t.rangeKey()) && !a.equals(index.hashKey())
                    && !a.equals(index.rangeKey()) && !nonKey.contains(a)) {
                missing.add(a);
            }
        }
        return new java.util.ArrayList<>(missing);
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
