package dev.eddy.core.expression;

import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Recursive descent over the tokens, one method per rule. Hand-written rather than generated
 * because DynamoDB's error texts depend on exactly where parsing stops ("token" and "near"), which
 * is easier to reproduce by hand than to coax out of a generator, and the grammar is small.
 *
 * <pre>
 * condition  := or EOF
 * or         := and (OR and)*
 * and        := not (AND not)*
 * not        := NOT not | predicate
 * predicate  := '(' or ')' | operand comparator operand | operand BETWEEN operand AND operand
 *             | operand IN '(' operand (',' operand)* ')' | call
 * operand    := '(' operand ')' | path | VALUE_REF | call
 * call       := NAME '(' operand (',' operand)* ')'
 * path       := (NAME | NAME_REF) ('.' (NAME | NAME_REF) | '[' INTEGER ']')*
 * update     := clause+ EOF
 * clause     := SET set (',' set)* | REMOVE path (',' path)* | (ADD | DELETE) path VALUE_REF (',' path VALUE_REF)*
 * set        := path '=' value
 * value      := '(' value ')' | operand (('+' | '-') operand)?
 * projection := path (',' path)* EOF
 * </pre>
 *
 * Keywords (AND OR NOT BETWEEN IN SET REMOVE ADD DELETE) are keywords in every language, in any
 * case, and never attribute names. A '(' where a predicate starts may open a group of conditions or
 * an operand; both readings are tried and the one that gets further decides the error, as
 * DynamoDB's parser reports it.
 */
final class Parser {
    private static final List<String> KEYWORDS = List.of("AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE",
            "ADD", "DELETE");
    private static final List<String> CLAUSES = List.of("SET", "REMOVE", "ADD", "DELETE");

    private final ExpressionKind kind;
    private final String text;
    private final List<Token> tokens;
    private int pos;
    /** NOTs and groups open around the current token; see {@link #enter()}. */
    private int nesting;

    private Parser(ExpressionKind kind, String text) {
        this.kind = kind;
        this.text = text;
        this.tokens = Lexer.tokenize(text);
    }

    /** Parsing stopped at tokens[index]; the alternative that got furthest is reported. */
    private static final class SyntaxFailure extends RuntimeException {
        final int index;

        SyntaxFailure(int index) {
            super(null, null, false, false);
            this.index = index;
        }
    }

    static Syntax condition(ExpressionKind kind, String text) {
        Parser p = new Parser(kind, text);
        return p.run(() -> {
            Syntax c = p.or();
            p.expect(Token.Kind.EOF);
            return c;
        });
    }

    static List<Syntax.Clause> update(String text) {
        Parser p = new Parser(ExpressionKind.UPDATE, text);
        return p.run(p::clauses);
    }

    static List<Syntax.Path> projection(String text) {
        Parser p = new Parser(ExpressionKind.PROJECTION, text);
        return p.run(() -> {
            List<Syntax.Path> paths = new ArrayList<>();
            paths.add(p.path());
            while (p.accept(Token.Kind.COMMA)) {
                paths.add(p.path());
            }
            p.expect(Token.Kind.EOF);
            return paths;
        });
    }

    private <T> T run(Supplier<T> rule) {
        try {
            return rule.get();
        } catch (SyntaxFailure f) {
            throw syntaxError(f.index);
        }
    }

    /** DynamoDB quotes the text from the token before the offending one to the token after it. */
    private DynamoException syntaxError(int index) {
        Token t = tokens.get(index);
        int start = index > 0 ? tokens.get(index - 1).start() : 0;
        boolean lastBeforeEnd = t.is(Token.Kind.EOF) || tokens.get(index + 1).is(Token.Kind.EOF);
        int end = lastBeforeEnd ? text.length() : tokens.get(index + 1).end();
        return Errors.expressionSyntax(kind.member(), t.text(), text.substring(start, end));
    }

    // --- conditions ---------------------------------------------------------------------------

    private Syntax or() {
        Syntax left = and();
        while (acceptKeyword("OR")) {
            left = new Syntax.Or(left, and());
        }
        return left;
    }

    private Syntax and() {
        Syntax left = not();
        while (acceptKeyword("AND")) {
            left = new Syntax.And(left, not());
        }
        return left;
    }

    private Syntax not() {
        if (acceptKeyword("NOT")) {
            enter();
            try {
                return new Syntax.Not(not());
            } finally {
                nesting--;
            }
        }
        return predicate();
    }

    /**
     * A NOT is an operator, and parentheses around conditions hold one directly (two pairs with
     * nothing between are redundant), so nesting past 601 levels has more operators than DynamoDB's
     * 300: refused here, before recursing deep enough to exhaust a request thread's stack.
     */
    private void enter() {
        if (++nesting > 2 * Analyzer.MAX_OPERATORS + 1) {
            throw Errors.tooManyOperators(kind.member(), Analyzer.MAX_OPERATORS + 1);
        }
    }

    private Syntax predicate() {
        if (!peek().is(Token.Kind.LPAREN)) {
            return comparison();
        }
        int start = pos;
        SyntaxFailure asGroup;
        enter();
        try {
            pos++;
            Syntax inner = or();
            expect(Token.Kind.RPAREN);
            return paren(inner);
        } catch (SyntaxFailure f) {
            asGroup = f;
            pos = start;
        } finally {
            nesting--;
        }
        try {
            return comparison();
        } catch (SyntaxFailure f) {
            throw f.index >= asGroup.index ? f : asGroup;
        }
    }

    private Syntax comparison() {
        Syntax left = operand();
        Token t = peek();
        if (t.isComparator()) {
            pos++;
            return new Syntax.Comparison(t, left, operand());
        }
        if (acceptKeyword("BETWEEN")) {
            Syntax lower = operand();
            if (!acceptKeyword("AND")) {
                throw fail();
            }
            return new Syntax.Between(left, lower, operand());
        }
        if (acceptKeyword("IN")) {
            expect(Token.Kind.LPAREN);
            List<Syntax> candidates = new ArrayList<>();
            candidates.add(operand());
            while (accept(Token.Kind.COMMA)) {
                candidates.add(operand());
            }
            expect(Token.Kind.RPAREN);
            return new Syntax.In(left, candidates);
        }
        if (unwrap(left) instanceof Syntax.Call) {
            return left; // a function used as a condition: attribute_exists(a)
        }
        throw fail();
    }

    private Syntax operand() {
        Token t = peek();
        if (t.is(Token.Kind.LPAREN)) {
            pos++;
            Syntax inner = operand();
            expect(Token.Kind.RPAREN);
            return paren(inner);
        }
        if (t.is(Token.Kind.VALUE_REF)) {
            pos++;
            return new Syntax.ValueRef(t);
        }
        if (t.is(Token.Kind.NAME) && !isKeyword(t) && peek(1).is(Token.Kind.LPAREN)) {
            pos += 2;
            List<Syntax> args = new ArrayList<>();
            args.add(operand());
            while (accept(Token.Kind.COMMA)) {
                args.add(operand());
            }
            expect(Token.Kind.RPAREN);
            return new Syntax.Call(t, args);
        }
        return path();
    }

    private Syntax paren(Syntax inner) {
        if (inner instanceof Syntax.Paren) {
            // Raised where it is found, ahead of any syntax error further on, as DynamoDB does.
            throw Errors.redundantParentheses(kind.member());
        }
        return new Syntax.Paren(inner);
    }

    static Syntax unwrap(Syntax s) {
        while (s instanceof Syntax.Paren p) {
            s = p.inner();
        }
        return s;
    }

    // --- paths --------------------------------------------------------------------------------

    private Syntax.Path path() {
        List<Token> steps = new ArrayList<>();
        steps.add(name());
        while (true) {
            if (accept(Token.Kind.DOT)) {
                steps.add(name());
            } else if (accept(Token.Kind.LBRACKET)) {
                Token index = peek();
                expect(Token.Kind.INTEGER);
                steps.add(index);
                expect(Token.Kind.RBRACKET);
            } else {
                return new Syntax.Path(steps);
            }
        }
    }

    private Token name() {
        Token t = peek();
        if (t.is(Token.Kind.NAME_REF) || (t.is(Token.Kind.NAME) && !isKeyword(t))) {
            pos++;
            return t;
        }
        throw fail();
    }

    // --- updates ------------------------------------------------------------------------------

    private List<Syntax.Clause> clauses() {
        List<Syntax.Clause> clauses = new ArrayList<>();
        do {
            Token keyword = peek();
            if (!isClause(keyword)) {
                throw fail();
            }
            pos++;
            String clause = keyword.text().toUpperCase(Locale.ROOT);
            List<Syntax.Action> actions = new ArrayList<>();
            do {
                actions.add(action(clause));
            } while (accept(Token.Kind.COMMA));
            clauses.add(new Syntax.Clause(keyword, actions));
        } while (!peek().is(Token.Kind.EOF));
        return clauses;
    }

    private Syntax.Action action(String clause) {
        Syntax.Path path = path();
        switch (clause) {
            case "SET" -> {
                expect(Token.Kind.EQ);
                return new Syntax.Action(clause, path, setValue());
            }
            case "REMOVE" -> {
                return new Syntax.Action(clause, path, null);
            }
            default -> {
                Token value = peek();
                expect(Token.Kind.VALUE_REF);
                return new Syntax.Action(clause, path, new Syntax.ValueRef(value));
            }
        }
    }

    private Syntax setValue() {
        Syntax left;
        if (peek().is(Token.Kind.LPAREN)) {
            pos++;
            Syntax inner = setValue();
            expect(Token.Kind.RPAREN);
            left = paren(inner);
            if (inner instanceof Syntax.Arithmetic) {
                return left; // (a + b) takes no further operator
            }
        } else {
            left = operand();
        }
        Token t = peek();
        if (t.is(Token.Kind.PLUS) || t.is(Token.Kind.MINUS)) {
            pos++;
            return new Syntax.Arithmetic(t, left, operand());
        }
        return left;
    }

    // --- tokens -------------------------------------------------------------------------------

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private boolean accept(Token.Kind k) {
        if (peek().is(k)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(Token.Kind k) {
        if (!accept(k)) {
            throw fail();
        }
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    private static boolean isKeyword(Token t) {
        for (String k : KEYWORDS) {
            if (t.isKeyword(k)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isClause(Token t) {
        for (String k : CLAUSES) {
            if (t.isKeyword(k)) {
                return true;
            }
        }
        return false;
    }

    private SyntaxFailure fail() {
        return new SyntaxFailure(pos);
    }
}
