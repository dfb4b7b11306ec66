package dev.eddy.core.partiql;

import java.util.List;

/**
 * An expression of a statement as parsed, before any meaning is given to it. Each node keeps the
 * position DynamoDB points to in its errors: the operator of an operation, the name of a call,
 * the opening bracket of a collection, the token of a literal.
 */
sealed interface Expr {
    Position position();

    /** A document path: an attribute name, then map keys and list indexes. */
    record Path(List<Step> steps, Position position) implements Expr {
        String first() {
            return ((Step.Name) steps.get(0)).name();
        }

        boolean isTopLevel() {
            return steps.size() == 1;
        }
    }

    sealed interface Step {
        Position position();

        record Name(String name, Position position) implements Step {
        }

        record Index(int index, Position position) implements Step {
        }

        /** {@code a[?]}: DynamoDB takes no parameter in a path. */
        record Parameter(Position position) implements Step {
        }

        /** {@code a.*}, which DynamoDB refuses. */
        record Unpivot(Position position) implements Step {
        }
    }

    record Literal(Kind kind, String text, Position position) implements Expr {
        enum Kind {
            STRING, NUMBER, TRUE, FALSE, NULL, MISSING
        }
    }

    /** A {@code ?}, bound to Parameters[index]. */
    record Parameter(int index, Position position) implements Expr {
    }

    /** {@code [a, b]}, or the parenthesised list after IN. */
    record ListValue(List<Expr> members, Position position) implements Expr {
    }

    record StructValue(List<Field> fields, Position position) implements Expr {
        record Field(Expr key, Expr value) {
        }
    }

    /** {@code <<a, b>>}: a set, when its members are all strings or all numbers. */
    record BagValue(List<Expr> members, Position position) implements Expr {
    }

    /** @param operator lower case: and, or, =, <>, !=, <, <=, >, >=, +, -, *, /, %, ||, like */
    record Binary(String operator, Expr left, Expr right, Position position) implements Expr {
    }

    record Not(Expr operand, Position position) implements Expr {
    }

    /** A sign before something that is not a number literal: {@code -a}. */
    record Sign(String sign, Expr operand, Position position) implements Expr {
    }

    record Between(Expr value, Expr low, Expr high, boolean negated, Position position) implements Expr {
    }

    record In(Expr value, Expr list, boolean negated, Position position) implements Expr {
    }

    /** @param type as written, upper case: MISSING, NULL, STRING, INT, ... */
    record Is(Expr value, String type, boolean negated, Position position) implements Expr {
    }

    /** @param name lower case */
    record Call(String name, List<Expr> arguments, Position position) implements Expr {
    }

    /** The {@code *} of {@code count(*)}. */
    record Star(Position position) implements Expr {
    }

    record Subquery(Statement.Select select, Position position) implements Expr {
    }
}
