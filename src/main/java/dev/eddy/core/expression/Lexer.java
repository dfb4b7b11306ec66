package dev.eddy.core.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an expression into tokens. Only space, tab, carriage return and line feed separate
 * tokens; any other character that starts no token (a quote, '$', '_' in first place, a non-ASCII
 * letter) becomes an UNKNOWN token of its own, which the parser reports as DynamoDB does:
 * {@code Syntax error; token: "$", near: "= $"}.
 */
final class Lexer {
    private Lexer() {
    }

    static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            int start = i;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
                continue;
            }
            Token.Kind kind;
            if (isLetter(c)) {
                i = skipWordChars(text, i + 1);
                kind = Token.Kind.NAME;
            } else if (c >= '0' && c <= '9') {
                i = c == '0' ? i + 1 : skipDigits(text, i + 1);
                kind = Token.Kind.INTEGER;
            } else if ((c == '#' || c == ':') && i + 1 < n && isWordChar(text.charAt(i + 1))) {
                i = skipWordChars(text, i + 1);
                kind = c == '#' ? Token.Kind.NAME_REF : Token.Kind.VALUE_REF;
            } else {
                char next = i + 1 < n ? text.charAt(i + 1) : 0;
                i++;
                kind = switch (c) {
                    case '=' -> Token.Kind.EQ;
                    case '<' -> next == '=' ? Token.Kind.LE : next == '>' ? Token.Kind.NE : Token.Kind.LT;
                    case '>' -> next == '=' ? Token.Kind.GE : Token.Kind.GT;
                    case '(' -> Token.Kind.LPAREN;
                    case ')' -> Token.Kind.RPAREN;
                    case '[' -> Token.Kind.LBRACKET;
                    case ']' -> Token.Kind.RBRACKET;
                    case ',' -> Token.Kind.COMMA;
                    case '.' -> Token.Kind.DOT;
                    case '+' -> Token.Kind.PLUS;
                    case '-' -> Token.Kind.MINUS;
                    default -> Token.Kind.UNKNOWN;
                };
                if (kind == Token.Kind.LE || kind == Token.Kind.NE || kind == Token.Kind.GE) {
                    i++;
                }
            }
            // DynamoDB's lexer reads UTF-16 units: half of a surrogate pair is a token printed as "?".
            String tokenText = kind == Token.Kind.UNKNOWN && Character.isSurrogate(c) ? "?" : text.substring(start, i);
            tokens.add(new Token(kind, tokenText, start, i));
        }
        tokens.add(new Token(Token.Kind.EOF, "<EOF>", n, n));
        return tokens;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isWordChar(char c) {
        return isLetter(c) || (c >= '0' && c <= '9') || c == '_';
    }

    private static int skipWordChars(String text, int i) {
        while (i < text.length() && isWordChar(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipDigits(String text, int i) {
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
