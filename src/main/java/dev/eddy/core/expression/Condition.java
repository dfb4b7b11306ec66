package dev.eddy.core.expression;

import dev.eddy.core.model.AttributeValue;
import java.util.List;
import java.util.Map;

/**
 * A condition on an item (ConditionExpression, FilterExpression, or the legacy Expected), checked
 * against the item as it is, or null when there is none. Comparisons across types are false, not
 * errors; a missing attribute makes every test false except {@code <>} and attribute_not_exists.
 */
public interface Condition {
    boolean matches(Map<String, AttributeValue> item);

    /** The comparison operators, by their symbols. */
    enum Comparator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Comparator of(Token t) {
            return switch (t.kind()) {
                case EQ -> EQ;
                case NE -> NE;
                case LT -> LT;
                case LE -> LE;
                case GT -> GT;
                default -> GE;
            };
        }

        /** This comparison with its operands swapped: {@code :v < a} is {@code a > :v}. */
        public Comparator flipped() {
            return switch (this) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                default -> this;
            };
        }

        boolean test(AttributeValue a, AttributeValue b) {
            if (this == EQ) {
                return a != null && a.equals(b);
            }
            if (this == NE) {
                return a == null || !a.equals(b);
            }
            if (!Values.orderable(a, b)) {
                return false;
            }
            int c = Values.compare(a, b);
            return switch (this) {
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                default -> c >= 0;
            };
        }
    }

    record Comparison(Comparator comparator, Operand left, Operand right) implements Condition {
        @Override
        public boolean matches(Map<String, AttributeValue> item) {
            return comparator.test(left.valueIn(item), right.valueIn(item));
        }
    }

    record Between(Operand operand, Operand lower, Operand upper) implements Condition {
        @Override
        public boolean matches(Map<String, AttributeValue> item) {
            AttributeValue v = operand.valueIn(item);
            AttributeValue lo = lower.valueIn(item);
            AttributeValue hi = upper.valueIn(item);
            return Values.orderable(v, lo) && Values.orderable(v, hi)
                    && Values.compare(lo, v) <= 0 && Values.compare(v, hi) <= 0;
        }
    }

    record In(Operand operand, List<Operand> candidates) implements Condition {
        @Override
        public boolean matches(Map<String, AttributeValue> item) {
            AttributeValue v = operand.valueIn(item);
            if (v == null) {
                return false;
            }
            for (Operand c : candidates) {
                if (v.equals(c.valueIn(item))) {
                    return true;
                }
            }
            return false;
        }
    }

    record And(Condition left, Condition right) implements Condition {
        @Override
        public boolean matches(Map<String, AttributeValue> item) {
            return left.matches(item) && right.matches(item);
        }
    }

    record Or(Condition left, Condition right) implements Condition {
        @Override
        public boolean matches(Map<String, AttributeValue> item) {
            return left.matches(item) || right.matches(item);
        }
    }

    record Not(Condition operand) implements Condition {
        @Override
        public boolean matches(Map<String, AttributeValue> item) {
            return !operand.matches(item);
        }
    }

    /** attribute_exists(path), or attribute_not_exists(path) when {@code exists} is false. */
    record AttributeExists(DocumentPath path, boolean exists) implements Condition {
        @Override
        public boolean matches(Map<String, AttributeValue> item) {
            return (path.find(item) != null) == exists;
        }
    }

    /** attribute_type(operand, type): the type named by its short name, S, N, SS, M, ... */
    record AttributeType(Operand operand, Operand type) implements Condition {
        @Override
        public boolean matches(Map<String, AttributeValue> item) {
            AttributeValue v = operand.valueIn(item);
            AttributeValue t = type.valueIn(item);
            return v != null && t != null && t.type() == AttributeValue.Type.S && v.type().name().equals(t.s());
        }
    }

    record BeginsWith(Operand operand, Operand prefix) implements Condition {
        @Override
        public boolean matches(Map<String, AttributeValue> item) {
            return Values.beginsWith(operand.valueIn(item), prefix.valueIn(item));
        }
    }

    record Contains(Operand operand, Operand member) implements Condition {
        @Override
        public boolean matches(Map<String, AttributeValue> item) {
            return Values.contains(operand.valueIn(item), member.valueIn(item));
        }
    }
}
