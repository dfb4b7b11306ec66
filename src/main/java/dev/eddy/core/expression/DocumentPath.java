package dev.eddy.core.expression;

import dev.eddy.core.model.AttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A document path with its expression attribute names resolved: a top-level attribute name, then
 * map keys and list indexes ({@code a.b[3].c}). At most 32 levels deep, as DynamoDB allows.
 */
public record DocumentPath(List<Step> steps) {
    public static final int MAX_DEPTH = 32;

    public sealed interface Step permits Key, Index {
    }

    /** A map key, or the attribute name when first. */
    public record Key(String name) implements Step {
    }

    public record Index(int index) implements Step {
    }

    public DocumentPath {
        steps = List.copyOf(steps);
    }

    public static DocumentPath of(String attribute) {
        return new DocumentPath(List.of(new Key(attribute)));
    }

    /** The top-level attribute the path starts at. */
    public String attribute() {
        return ((Key) steps.get(0)).name();
    }

    public boolean isTopLevel() {
        return steps.size() == 1;
    }

    /** The value at this path, or null when any step is missing or lands in the wrong kind of value. */
    public AttributeValue find(Map<String, AttributeValue> item) {
        if (item == null) {
            return null;
        }
        AttributeValue v = item.get(attribute());
        for (int i = 1; i < steps.size() && v != null; i++) {
            v = child(v, steps.get(i));
        }
        return v;
    }

    static AttributeValue child(AttributeValue v, Step step) {
        if (step instanceof Key k) {
            return v.type() == AttributeValue.Type.M ? v.m().get(k.name()) : null;
        }
        int index = ((Index) step).index();
        return v.type() == AttributeValue.Type.L && index < v.l().size() ? v.l().get(index) : null;
    }

    /**
     * How two paths in one expression relate: DynamoDB refuses two that overlap (one is the other or
     * lies inside it) and two that conflict (one reads a level as a map, the other as a list).
     */
    enum Relation { INDEPENDENT, OVERLAP, CONFLICT }

    Relation relationTo(DocumentPath other) {
        int common = Math.min(steps.size(), other.steps.size());
        for (int i = 0; i < common; i++) {
            Step a = steps.get(i);
            Step b = other.steps.get(i);
            if (a.getClass() != b.getClass()) {
                return Relation.CONFLICT;
            }
            if (!a.equals(b)) {
                return Relation.INDEPENDENT;
            }
        }
        return Relation.OVERLAP;
    }

    /** As DynamoDB prints paths in messages: {@code [a, b, [3], c]}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>(steps.size());
        for (Step s : steps) {
            parts.add(s instanceof Key k ? k.name() : "[" + ((Index) s).index() + "]");
        }
        return "[" + String.join(", ", parts) + "]";
    }
}
