package dev.eddy.core.partiql;

import java.util.List;

/** A parsed statement: one of DynamoDB's four, an EXISTS check, or something DynamoDB refuses. */
sealed interface Statement {
    /** FROM or INTO: a table, or "table"."index". */
    record Source(Expr expr, boolean aliased, Position position) {
    }

    /** {@code RETURNING (ALL | MODIFIED) (OLD | NEW) *}, as written. */
    record Returning(boolean modified, boolean newValues, boolean star, boolean several) {
        /** The words as DynamoDB quotes them back: "ALL OLD *". */
        String text() {
            return (modified ? "MODIFIED " : "ALL ") + (newValues ? "NEW" : "OLD") + " *";
        }

        /** The ReturnValues an item write takes for it. */
        String returnValues() {
            return (modified ? "UPDATED_" : "ALL_") + (newValues ? "NEW" : "OLD");
        }
    }

    /** A clause DynamoDB parses but does not run (GROUP BY, HAVING, LIMIT). */
    record Clause(String name, Position position) {
    }

    record Projected(Expr expr, boolean aliased) {
    }

    record Order(Expr expr, boolean descending) {
    }

    /**
     * @param projection empty for {@code *}
     * @param value      SELECT VALUE (or PIVOT), which DynamoDB refuses
     */
    record Select(boolean distinct, boolean value, List<Projected> projection,
                  List<Source> from, Expr where, List<Order> orderBy, Clause unsupported) implements Statement {
    }

    /** @param item null when the values came in another form than VALUE (VALUES, a bag, a query) */
    record Insert(Source target, Expr item, Returning returning) implements Statement {
    }

    sealed interface Action {
        record Set(Expr.Path target, Expr value) implements Action {
        }

        record Remove(Expr.Path target) implements Action {
        }
    }

    record Update(Source target, List<Action> actions, Expr where, Returning returning) implements Statement {
    }

    record Delete(Source target, Expr where, Returning returning) implements Statement {
    }

    /** A statement that is an expression: {@code EXISTS(SELECT ...)} in a transaction, else refused. */
    record Check(Expr expr) implements Statement {
    }

    /** A statement DynamoDB parses and refuses by kind (CreateTable, DropIndex, ...). */
    record Unsupported(String kind) implements Statement {
    }
}
