package dev.eddy.core.operation;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.KeyOrder;
import java.util.Arrays;

/**
 * A Query's condition on the sort key (Developer Guide, "Key condition expressions"):
 * {@code = < <= > >= BETWEEN begins_with}, or none. It tells the walk over the collection where
 * to start and when to stop in either direction, so a Query reads only what it returns.
 *
 * @param operator EQ, LT, LE, GT, GE, BETWEEN, BEGINS_WITH, or null for the whole collection
 */
public record SortKeyRange(String operator, AttributeValue first, AttributeValue second) {
    public static final SortKeyRange ALL = new SortKeyRange(null, null, null);

    /** Where a walk in this direction begins; null for the collection's end. */
    public AttributeValue start(boolean forward) {
        if (operator == null) {
            return null;
        }
        return switch (operator) {
            case "EQ" -> first;
            case "LT", "LE" -> forward ? null : first;
            case "GT", "GE" -> forward ? first : null;
            case "BETWEEN" -> forward ? first : second;
            case "BEGINS_WITH" -> forward ? first : upperBoundOfPrefix(first);
            default -> throw new IllegalStateException(operator);
        };
    }

    public boolean startInclusive(boolean forward) {
        return operator == null || switch (operator) {
            case "LT" -> forward;
            case "GT" -> !forward;
            default -> true;
        };
    }

    /** Whether a key met on the walk lies past the range's far end: the walk is over. */
    public boolean beyond(AttributeValue sortKey, boolean forward) {
        if (operator == null) {
            return false;
        }
        int c = KeyOrder.INSTANCE.compare(sortKey, first);
        return switch (operator) {
            case "EQ" -> c != 0;
            case "LT" -> forward && c >= 0;
            case "LE" -> forward && c > 0;
            case "GT" -> !forward && c <= 0;
            case "GE" -> !forward && c < 0;
            case "BETWEEN" -> forward ? KeyOrder.INSTANCE.compare(sortKey, second) > 0 : c < 0;
            case "BEGINS_WITH" -> forward ? !startsWith(sortKey, first) && c > 0 : !startsWith(sortKey, first) && c < 0;
            default -> throw new IllegalStateException(operator);
        };
    }

    /** Whether a key met on the walk is in the range (a walk backward from a prefix bound meets some that are not). */
    public boolean contains(AttributeValue sortKey) {
        if (operator == null) {
            return true;
        }
        int c = KeyOrder.INSTANCE.compare(sortKey, first);
        return switch (operator) {
            case "EQ" -> c == 0;
            case "LT" -> c < 0;
            case "LE" -> c <= 0;
            case "GT" -> c > 0;
            case "GE" -> c >= 0;
            case "BETWEEN" -> c >= 0 && KeyOrder.INSTANCE.compare(sortKey, second) <= 0;
            case "BEGINS_WITH" -> startsWith(sortKey, first);
            default -> throw new IllegalStateException(operator);
        };
    }

    static boolean startsWith(AttributeValue value, AttributeValue prefix) {
        if (value.type() != prefix.type()) {
            return false;
        }
        if (value.type() == AttributeValue.Type.S) {
            return value.s().startsWith(prefix.s());
        }
        byte[] v = value.b();
        byte[] p = prefix.b();
        return v.length >= p.length && Arrays.equals(v, 0, p.length, p, 0, p.length);
    }

    /**
     * A key above every key that starts with the prefix: sort keys are at most 1024 bytes, so the
     * prefix followed by that many of the highest units is out of their reach.
     */
    private static AttributeValue upperBoundOfPrefix(AttributeValue prefix) {
        if (prefix.type() == AttributeValue.Type.S) {
            return AttributeValue.s(prefix.s() + "\uDBFF\uDFFF".repeat(257));
        }
        byte[] p = prefix.b();
        byte[] bound = Arrays.copyOf(p, p.length + 1025);
        Arrays.fill(bound, p.length, bound.length, (byte) 0xFF);
        return AttributeValue.b(bound);
    }
}
