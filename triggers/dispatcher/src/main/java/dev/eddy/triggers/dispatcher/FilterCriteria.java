package dev.eddy.triggers.dispatcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Lambda's FilterCriteria: a record goes to the function when it matches at least one of the
 * filters' patterns; the others are dropped before batching and count as processed (Lambda's
 * "Control which events Lambda sends to your function"). Written as Lambda takes it:
 * {@code {"Filters":[{"Pattern":"<pattern JSON as a string>"}]}}; a pattern given as an object
 * instead of a string is accepted too.
 *
 * <p>The pattern language is the one in {@link FilterPattern}. Patterns are matched against the
 * whole record JSON, so {@code eventName} can be filtered as well as the {@code dynamodb} part.
 */
public final class FilterCriteria {

    /** Lambda allows five filters per event source mapping by default (ten on request). */
    static final int MAX_FILTERS = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FilterCriteria NONE = new FilterCriteria(List.of());

    private final List<FilterPattern> patterns;

    private FilterCriteria(List<FilterPattern> patterns) {
        this.patterns = patterns;
    }

    /** Lets every record through. */
    public static FilterCriteria none() {
        return NONE;
    }

    /** Reads Lambda's FilterCriteria JSON; throws IllegalArgumentException saying what is wrong. */
    public static FilterCriteria parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("FilterCriteria is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("Filters").isArray()) {
            throw new IllegalArgumentException("FilterCriteria must be an object with a Filters array");
        }
        JsonNode filters = root.get("Filters");
        if (filters.size() > MAX_FILTERS) {
            throw new IllegalArgumentException("FilterCriteria has " + filters.size() + " filters; at most "
                    + MAX_FILTERS + " are allowed");
        }
        List<FilterPattern> patterns = new ArrayList<>();
        for (JsonNode filter : filters) {
            JsonNode pattern = filter.get("Pattern");
            if (pattern == null || pattern.isNull()) {
                throw new IllegalArgumentException("every filter needs a Pattern");
            }
            patterns.add(FilterPattern.parse(pattern.isTextual() ? readPattern(pattern.asText()) : pattern));
        }
        return patterns.isEmpty() ? NONE : new FilterCriteria(List.copyOf(patterns));
    }

    private static JsonNode readPattern(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("filter Pattern is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** True when there are no filters or the record matches one of them. */
    public boolean matches(JsonNode record) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (FilterPattern pattern : patterns) {
            if (pattern.matches(record)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return patterns.size() + " filter(s)";
    }
}
