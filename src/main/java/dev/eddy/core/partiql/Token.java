package dev.eddy.core.partiql;

/**
 * One lexeme of a statement.
 *
 * @param text  the source text as written
 * @param value what it stands for: the lower-cased word of a keyword, the unescaped content of a
 *              string or quoted identifier, the text otherwise
 */
record Token(Kind kind, String text, String value, Position position) {
    enum Kind {
        IDENTIFIER, QUOTED_IDENTIFIER, KEYWORD, STRING, NUMBER, PARAMETER, OPERATOR, END
    }

    boolean is(Kind k, String v) {
        return kind == k && value.equals(v);
    }

    boolean isKeyword(String word) {
        return is(Kind.KEYWORD, word);
    }

    boolean isOperator(String op) {
        return is(Kind.OPERATOR, op);
    }
}
