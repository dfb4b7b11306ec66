package dev.eddy.core.expression;

/**
 * One token of an expression, with its place in the text ({@code start} inclusive, {@code end}
 * exclusive) for DynamoDB's "near" in syntax errors.
 */
record Token(Kind kind, String text, int start, int end) {
    enum Kind {
        /** A letter, then letters, digits and underscores; keywords are names the parser recognises. */
        NAME,
        /** {@code #} and one or more letters, digits or underscores: an expression attribute name. */
        NAME_REF,
        /** {@code :} and one or more letters, digits or underscores: an expression attribute value. */
        VALUE_REF,
        /** A list index: 0, or a digit 1-9 and more digits (DynamoDB reads "01" as "0" and "1"). */
        INTEGER,
        EQ, NE, LT, LE, GT, GE, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT, PLUS, MINUS,
        /** Any other character, which no rule accepts, so it surfaces as a syntax error. */
        UNKNOWN,
        EOF
    }

    boolean is(Kind k) {
        return kind == k;
    }

    /** A keyword in any case (AND, between, Set, ...): keywords are never attribute names. */
    boolean isKeyword(String keyword) {
        return kind == Kind.NAME && text.equalsIgnoreCase(keyword);
    }

    boolean isComparator() {
        return switch (kind) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }
}
