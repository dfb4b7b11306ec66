package dev.eddy.core.partiql;

/** A statement's text and its parse, made once per request and planned from there. */
public final class ParsedStatement {
    private final String text;
    private final Statement tree;

    private ParsedStatement(String text, Statement tree) {
        this.text = text;
        this.tree = tree;
    }

    /** Parses a statement; one that does not parse fails with DynamoDB's "not well formed" error. */
    public static ParsedStatement parse(String text) {
        return new ParsedStatement(text, Parser.parse(text));
    }

    public String text() {
        return text;
    }

    Statement tree() {
        return tree;
    }

    /** A SELECT. */
    public boolean isRead() {
        return tree instanceof Statement.Select;
    }

    /**
     * An INSERT, UPDATE or DELETE; with {@code checks}, an expression statement too (EXISTS, for
     * ExecuteTransaction). What is neither a read nor a write is refused on its own, later.
     */
    public boolean isWrite(boolean checks) {
        return tree instanceof Statement.Insert || tree instanceof Statement.Update || tree instanceof Statement.Delete
                || (checks && tree instanceof Statement.Check);
    }
}
