package dev.eddy.core.expression;

import dev.eddy.core.model.AttributeValue;
import java.util.Map;

/**
 * A value an expression computes from an item: a document path, a placeholder's value, size(), or
 * (in SET actions) if_not_exists, list_append and {@code +}/{@code -}. {@link #valueIn} reads it as
 * a condition does: a missing attribute, or size() of a number, is no value (null), never an error.
 */
public sealed interface Operand {
    AttributeValue valueIn(Map<String, AttributeValue> item);

    record Path(DocumentPath path) implements Operand {
        @Override
        public AttributeValue valueIn(Map<String, AttributeValue> item) {
            return path.find(item);
        }
    }

    record Value(AttributeValue value) implements Operand {
        @Override
        public AttributeValue valueIn(Map<String, AttributeValue> item) {
            return value;
        }
    }

    record Size(Operand of) implements Operand {
        @Override
        public AttributeValue valueIn(Map<String, AttributeValue> item) {
            return Values.size(of.valueIn(item));
        }
    }

    /** The functions and arithmetic of SET: computed by {@link Update}, which knows their errors. */
    record IfNotExists(DocumentPath path, Operand fallback) implements Operand {
        @Override
        public AttributeValue valueIn(Map<String, AttributeValue> item) {
            return Update.compute(this, item);
        }
    }

    record ListAppend(Operand first, Operand second) implements Operand {
        @Override
        public AttributeValue valueIn(Map<String, AttributeValue> item) {
            return Update.compute(this, item);
        }
    }

    record Arithmetic(boolean plus, Operand left, Operand right) implements Operand {
        @Override
        public AttributeValue valueIn(Map<String, AttributeValue> item) {
            return Update.compute(this, item);
        }
    }
}
