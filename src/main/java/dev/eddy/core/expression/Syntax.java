package dev.eddy.core.expression;

import java.util.List;
import java.util.Locale;

/**
 * What the parser builds: the expression's structure with its tokens, placeholders not yet
 * resolved. {@link Analyzer} checks it and turns it into conditions, operands and update actions.
 */
sealed interface Syntax {
    /** A document path: NAME or NAME_REF tokens for names, INTEGER tokens for list indexes. */
    record Path(List<Token> steps) implements Syntax {
    }

    record ValueRef(Token token) implements Syntax {
    }

    /** One pair of grouping parentheses; two directly nested pairs are refused as redundant. */
    record Paren(Syntax inner) implements Syntax {
    }

    record Call(Token function, List<Syntax> args) implements Syntax {
        String name() {
            return function.text();
        }
    }

    /** {@code +} or {@code -} in a SET action. */
    record Arithmetic(Token operator, Syntax left, Syntax right) implements Syntax {
    }

    record Comparison(Token operator, Syntax left, Syntax right) implements Syntax {
    }

    record Between(Syntax operand, Syntax lower, Syntax upper) implements Syntax {
    }

    record In(Syntax operand, List<Syntax> candidates) implements Syntax {
    }

    record And(Syntax left, Syntax right) implements Syntax {
    }

    record Or(Syntax left, Syntax right) implements Syntax {
    }

    record Not(Syntax operand) implements Syntax {
    }

    /** One action of an update clause; {@code value} is null for REMOVE. */
    record Action(String clause, Path path, Syntax value) {
    }

    /** A SET, REMOVE, ADD or DELETE clause as written (the keyword in any case). */
    record Clause(Token keyword, List<Action> actions) {
        String name() {
            return keyword.text().toUpperCase(Locale.ROOT);
        }
    }
}
