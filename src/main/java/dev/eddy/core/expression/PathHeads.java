package dev.eddy.core.expression;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The top-level attributes an expression names: the first name of each document path
 * ({@code a} of {@code a.b[2]}), with {@code #placeholders} left for the caller to resolve. What IAM
 * policies see as {@code dynamodb:Attributes} of an expression. Read from the tokens alone, so it
 * never rejects anything (the operation's own parse does): a name after a '.' is a map key, a name
 * before '(' a function, and keywords are never attribute names.
 */
public final class PathHeads {
    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD",
            "DELETE");

    private PathHeads() {
    }

    public static Set<String> of(String expression) {
        Set<String> heads = new LinkedHashSet<>();
        if (expression == null) {
            return heads;
        }
        List<Token> tokens = Lexer.tokenize(expression);
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!t.is(Token.Kind.NAME) && !t.is(Token.Kind.NAME_REF)) {
                continue;
            }
            boolean afterDot = i > 0 && tokens.get(i - 1).is(Token.Kind.DOT);
            boolean function = t.is(Token.Kind.NAME) && tokens.get(i + 1).is(Token.Kind.LPAREN);
            boolean keyword = t.is(Token.Kind.NAME) && KEYWORDS.contains(t.text().toUpperCase(java.util.Locale.ROOT));
            if (!afterDot && !function && !keyword) {
                heads.add(t.text());
            }
        }
        return heads;
    }
}
