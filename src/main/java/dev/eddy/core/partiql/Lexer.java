package dev.eddy.core.partiql;

import dev.eddy.core.error.PartiqlErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a statement into tokens: words (keywords are PartiQL's reserved words, in any case),
 * "double-quoted" identifiers and 'single-quoted' strings (a doubled quote stands for one), numbers,
 * {@code ?} parameters and operators; {@code --} and {@code /* *\/} comments are skipped. Anything
 * else makes the statement not well formed.
 */
final class Lexer {
    /** Longest first, so "<<" wins over "<". */
    private static final List<String> OPERATORS = List.of("<<", ">>", "<=", ">=", "<>", "!=", "||",
            "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", "[", "]", "{", "}", ",", ".", ":", ";");

    private final String text;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String statement) {
        Lexer lexer = new Lexer(statement);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (true) {
            skipSpaceAndComments();
            if (pos >= text.length()) {
                tokens.add(new Token(Token.Kind.END, "", "", position(pos, 0)));
                return;
            }
            char c = text.charAt(pos);
            if (Character.isLetter(c) || c == '_' || c == '$') {
                word();
            } else if (Character.isDigit(c) || (c == '.' && pos + 1 < text.length()
                    && Character.isDigit(text.charAt(pos + 1)))) {
                number();
            } else if (c == '\'') {
                quoted('\'', Token.Kind.STRING);
            } else if (c == '"') {
                quoted('"', Token.Kind.QUOTED_IDENTIFIER);
            } else if (c == '?') {
                add(Token.Kind.PARAMETER, pos, pos + 1, "?");
            } else {
                operator();
            }
        }
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (text.startsWith("--", pos)) {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (text.startsWith("/*", pos)) {
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw PartiqlErrors.notWellFormed(text);
                }
                for (int i = pos; i < end; i++) {
                    if (text.charAt(i) == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private void word() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                || text.charAt(pos) == '$')) {
            pos++;
        }
        String word = text.substring(start, pos);
        String lower = word.toLowerCase(Locale.ROOT);
        if (Keywords.RESERVED.contains(lower)) {
            tokens.add(new Token(Token.Kind.KEYWORD, word, lower, position(start, pos - start)));
        } else {
            tokens.add(new Token(Token.Kind.IDENTIFIER, word, word, position(start, pos - start)));
        }
    }

    /** Digits, an optional fraction and an optional exponent: 1, 1.5, .5, 1e3, 2.5E-4. */
    private void number() {
        int start = pos;
        digits();
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            digits();
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (pos >= text.length() || !Character.isDigit(text.charAt(pos))) {
                pos = mark;
                throw PartiqlErrors.notWellFormed(text);
            }
            digits();
        }
        if (pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_')) {
            throw PartiqlErrors.notWellFormed(text);
        }
        String number = text.substring(start, pos);
        tokens.add(new Token(Token.Kind.NUMBER, number, number, position(start, pos - start)));
    }

    private void digits() {
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
    }

    private void quoted(char quote, Token.Kind kind) {
        int start = pos;
        int startLine = line;
        int startColumn = pos - lineStart + 1;
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                throw PartiqlErrors.notWellFormed(text);
            }
            char c = text.charAt(pos);
            if (c == quote) {
                if (pos + 1 < text.length() && text.charAt(pos + 1) == quote) {
                    value.append(quote);
                    pos += 2;
                    continue;
                }
                pos++;
                break;
            }
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            }
            value.append(c);
            pos++;
        }
        tokens.add(new Token(kind, text.substring(start, pos), value.toString(),
                new Position(startLine, startColumn, pos - start)));
    }

    private void operator() {
        for (String op : OPERATORS) {
            if (text.startsWith(op, pos)) {
                add(Token.Kind.OPERATOR, pos, pos + op.length(), op);
                return;
            }
        }
        throw PartiqlErrors.notWellFormed(text);
    }

    private void add(Token.Kind kind, int start, int end, String value) {
        tokens.add(new Token(kind, text.substring(start, end), value, position(start, end - start)));
        pos = end;
    }

    private Position position(int start, int length) {
        return new Position(line, start - lineStart + 1, length);
    }
}
