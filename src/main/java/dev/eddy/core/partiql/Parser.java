package dev.eddy.core.partiql;

import dev.eddy.core.error.PartiqlErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A recursive-descent parser for the PartiQL DynamoDB accepts (Developer Guide, "PartiQL - a
 * SQL-compatible query language for Amazon DynamoDB"): SELECT, INSERT, UPDATE, DELETE and an
 * expression statement (EXISTS). Anything that does not parse is "not well formed"; what parses
 * but DynamoDB does not run (aliases, GROUP BY, VALUE, ...) is kept in the tree for the
 * {@link Planner} to refuse with its own message. Operator precedence is PartiQL's: OR, AND, NOT,
 * comparison, additive, multiplicative, sign, path.
 */
public final class Parser {
    private final String text;
    private final List<Token> tokens;
    private int next;
    private int parameters;

    private Parser(String text) {
        this.text = text;
        this.tokens = Lexer.tokens(text);
    }

    /** Parses one statement; a trailing semicolon is allowed. */
    static Statement parse(String statement) {
        Parser p = new Parser(statement);
        Statement s = p.statement();
        p.accept(Token.Kind.OPERATOR, ";");
        p.expect(Token.Kind.END, "");
        return s;
    }

    // --- statements ---------------------------------------------------------------------------

    private Statement statement() {
        Token t = peek();
        if (t.isKeyword("select")) {
            return select();
        }
        if (t.isKeyword("insert")) {
            return insert();
        }
        if (t.isKeyword("update")) {
            return update();
        }
        if (t.isKeyword("delete")) {
            return delete();
        }
        if (t.isKeyword("create") || t.isKeyword("drop")) {
            return definition();
        }
        return new Statement.Check(expression());
    }

    /** CREATE or DROP TABLE/INDEX: DynamoDB names them and refuses them. */
    private Statement definition() {
        String verb = take().value();
        Token what = take();
        if (!what.isKeyword("table") && !what.isKeyword("index")) {
            throw failure();
        }
        while (peek().kind() != Token.Kind.END && !peek().isOperator(";")) {
            take();
        }
        return new Statement.Unsupported(capitalized(verb) + capitalized(what.value()));
    }

    private Statement.Select select() {
        expectKeyword("select");
        boolean distinct = acceptKeyword("distinct");
        if (!distinct) {
            acceptKeyword("all");
        }
        boolean value = acceptKeyword("value") || acceptKeyword("pivot");
        List<Statement.Projected> projection = new ArrayList<>();
        if (value) {
            projection.add(new Statement.Projected(expression(), false));
        } else if (!accept(Token.Kind.OPERATOR, "*")) {
            do {
                Expr e = expression();
                projection.add(new Statement.Projected(e, alias()));
            } while (accept(Token.Kind.OPERATOR, ","));
        }
        expectKeyword("from");
        List<Statement.Source> from = new ArrayList<>();
        do {
            from.add(source());
        } while (accept(Token.Kind.OPERATOR, ","));
        Expr where = acceptKeyword("where") ? expression() : null;
        Statement.Clause unsupported = null;
        if (peek().isKeyword("group")) {
            take();
            expectKeyword("by");
            unsupported = new Statement.Clause("GROUP BY", expressionList().get(0).position());
        }
        if (peek().isKeyword("having")) {
            take();
            Expr having = expression();
            unsupported = unsupported != null ? unsupported : new Statement.Clause("HAVING", having.position());
        }
        List<Statement.Order> orderBy = new ArrayList<>();
        if (acceptKeyword("order")) {
            expectKeyword("by");
            do {
                Expr e = expression();
                boolean descending = acceptKeyword("desc");
                if (!descending) {
                    acceptKeyword("asc");
                }
                orderBy.add(new Statement.Order(e, descending));
            } while (accept(Token.Kind.OPERATOR, ","));
        }
        if (acceptKeyword("limit")) {
            Expr limit = expression();
            unsupported = unsupported != null ? unsupported : new Statement.Clause("LIMIT", limit.position());
        }
        return new Statement.Select(distinct, value, projection, from, where, orderBy, unsupported);
    }

    private Statement insert() {
        expectKeyword("insert");
        expectKeyword("into");
        Statement.Source target = source();
        Expr item;
        if (acceptKeyword("value")) {
            item = expression();
        } else if (acceptKeyword("values")) {
            do {
                expect(Token.Kind.OPERATOR, "(");
                expressionList();
                expect(Token.Kind.OPERATOR, ")");
            } while (accept(Token.Kind.OPERATOR, ","));
            item = null;
        } else {
            expression();
            item = null;
        }
        return new Statement.Insert(target, item, returning());
    }

    private Statement update() {
        expectKeyword("update");
        Statement.Source target = source();
        List<Statement.Action> actions = new ArrayList<>();
        while (true) {
            if (acceptKeyword("set")) {
                do {
                    Expr.Path path = path();
                    expect(Token.Kind.OPERATOR, "=");
                    actions.add(new Statement.Action.Set(path, expression()));
                } while (accept(Token.Kind.OPERATOR, ","));
            } else if (acceptKeyword("remove")) {
                actions.add(new Statement.Action.Remove(path()));
            } else {
                break;
            }
        }
        if (actions.isEmpty()) {
            throw failure();
        }
        Expr where = acceptKeyword("where") ? expression() : null;
        return new Statement.Update(target, actions, where, returning());
    }

    private Statement delete() {
        expectKeyword("delete");
        expectKeyword("from");
        Statement.Source target = source();
        Expr where = acceptKeyword("where") ? expression() : null;
        return new Statement.Delete(target, where, returning());
    }

    /** What FROM, INTO or UPDATE names, with an alias if one is given (DynamoDB refuses it). */
    private Statement.Source source() {
        Position position = peek().position();
        Expr e = postfix();
        return new Statement.Source(e, alias(), position);
    }

    private boolean alias() {
        if (acceptKeyword("as")) {
            identifier();
            return true;
        }
        if (peek().kind() == Token.Kind.IDENTIFIER || peek().kind() == Token.Kind.QUOTED_IDENTIFIER) {
            take();
            return true;
        }
        return false;
    }

    private Statement.Returning returning() {
        if (!acceptKeyword("returning")) {
            return null;
        }
        Statement.Returning first = returningElement();
        boolean several = false;
        while (accept(Token.Kind.OPERATOR, ",")) {
            returningElement();
            several = true;
        }
        return new Statement.Returning(first.modified(), first.newValues(), first.star(), several);
    }

    private Statement.Returning returningElement() {
        boolean modified;
        if (acceptKeyword("modified")) {
            modified = true;
        } else {
            expectKeyword("all");
            modified = false;
        }
        boolean newValues;
        if (acceptKeyword("new")) {
            newValues = true;
        } else {
            expectKeyword("old");
            newValues = false;
        }
        boolean star = accept(Token.Kind.OPERATOR, "*");
        if (!star) {
            expression();
        }
        return new Statement.Returning(modified, newValues, star, false);
    }

    // --- expressions --------------------------------------------------------------------------

    private List<Expr> expressionList() {
        List<Expr> list = new ArrayList<>();
        do {
            list.add(expression());
        } while (accept(Token.Kind.OPERATOR, ","));
        return list;
    }

    private Expr expression() {
        return leftAssociative(this::and, t -> t.isKeyword("or"));
    }

    private Expr and() {
        return leftAssociative(this::not, t -> t.isKeyword("and"));
    }

    /** Operands joined by operators of one precedence level, grouped from the left. */
    private Expr leftAssociative(Supplier<Expr> operand, Predicate<Token> isOperator) {
        Expr left = operand.get();
        while (isOperator.test(peek())) {
            Token op = take();
            left = new Expr.Binary(op.value(), left, operand.get(), op.position());
        }
        return left;
    }

    private Expr not() {
        if (peek().isKeyword("not")) {
            Position p = take().position();
            return new Expr.Not(not(), p);
        }
        return predicate();
    }

    private Expr predicate() {
        Expr left = additive();
        while (true) {
            Token t = peek();
            if (t.kind() == Token.Kind.OPERATOR && List.of("=", "<>", "!=", "<", "<=", ">", ">=").contains(t.value())) {
                take();
                left = new Expr.Binary(t.value(), left, additive(), t.position());
            } else if (t.isKeyword("is")) {
                take();
                boolean negated = acceptKeyword("not");
                Token type = take();
                if (type.kind() != Token.Kind.KEYWORD && type.kind() != Token.Kind.IDENTIFIER) {
                    throw failure();
                }
                left = new Expr.Is(left, type.text().toUpperCase(Locale.ROOT), negated, t.position());
            } else if (t.isKeyword("in") || t.isKeyword("between") || t.isKeyword("like")
                    || (t.isKeyword("not") && (peek(1).isKeyword("in") || peek(1).isKeyword("between")
                    || peek(1).isKeyword("like")))) {
                boolean negated = acceptKeyword("not");
                Token op = take();
                if (op.isKeyword("in")) {
                    left = new Expr.In(left, inList(), negated, op.position());
                } else if (op.isKeyword("between")) {
                    Expr low = additive();
                    expectKeyword("and");
                    left = new Expr.Between(left, low, additive(), negated, op.position());
                } else {
                    Expr like = new Expr.Binary("like", left, additive(), op.position());
                    left = negated ? new Expr.Not(like, op.position()) : like;
                }
            } else {
                return left;
            }
        }
    }

    /** The right side of IN: a parenthesised list becomes a list; anything else is kept as written. */
    private Expr inList() {
        if (peek().isOperator("(") && !peek(1).isKeyword("select")) {
            Position p = take().position();
            List<Expr> members = peek().isOperator(")") ? List.of() : expressionList();
            expect(Token.Kind.OPERATOR, ")");
            return new Expr.ListValue(members, p);
        }
        return additive();
    }

    private Expr additive() {
        return leftAssociative(this::multiplicative, t -> t.isOperator("+") || t.isOperator("-") || t.isOperator("||"));
    }

    private Expr multiplicative() {
        return leftAssociative(this::signed, t -> t.isOperator("*") || t.isOperator("/") || t.isOperator("%"));
    }

    /** A sign folds into a number literal after it (-1.5 is one literal); before anything else it stays. */
    private Expr signed() {
        if (peek().isOperator("-") || peek().isOperator("+")) {
            Token sign = take();
            if (peek().kind() == Token.Kind.NUMBER) {
                Token n = take();
                String literal = sign.value().equals("-") ? "-" + n.value() : n.value();
                return new Expr.Literal(Expr.Literal.Kind.NUMBER, literal, n.position());
            }
            return new Expr.Sign(sign.value(), signed(), sign.position());
        }
        return postfix();
    }

    private Expr postfix() {
        Expr base = primary();
        if (!(base instanceof Expr.Path path)) {
            if (peek().isOperator(".") || peek().isOperator("[")) {
                throw failure();
            }
            return base;
        }
        List<Expr.Step> steps = new ArrayList<>(path.steps());
        while (true) {
            if (peek().isOperator(".")) {
                take();
                Token t = take();
                if (t.isOperator("*")) {
                    steps.add(new Expr.Step.Unpivot(t.position()));
                } else if (t.kind() == Token.Kind.IDENTIFIER || t.kind() == Token.Kind.QUOTED_IDENTIFIER) {
                    steps.add(new Expr.Step.Name(t.value(), t.position()));
                } else {
                    throw failure();
                }
            } else if (peek().isOperator("[")) {
                take();
                steps.add(indexStep());
                expect(Token.Kind.OPERATOR, "]");
            } else {
                return new Expr.Path(steps, path.position());
            }
        }
    }

    private Expr.Step indexStep() {
        Token t = take();
        if (t.kind() == Token.Kind.STRING) {
            return new Expr.Step.Name(t.value(), t.position());
        }
        if (t.kind() == Token.Kind.PARAMETER) {
            parameters++;
            return new Expr.Step.Parameter(t.position());
        }
        if (t.kind() == Token.Kind.NUMBER && t.value().chars().allMatch(Character::isDigit)) {
            try {
                return new Expr.Step.Index(Integer.parseInt(t.value()), t.position());
            } catch (NumberFormatException e) {
                throw failure();
            }
        }
        throw failure();
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case STRING -> {
                take();
                return new Expr.Literal(Expr.Literal.Kind.STRING, t.value(), t.position());
            }
            case NUMBER -> {
                take();
                return new Expr.Literal(Expr.Literal.Kind.NUMBER, t.value(), t.position());
            }
            case PARAMETER -> {
                take();
                return new Expr.Parameter(parameters++, t.position());
            }
            case IDENTIFIER, QUOTED_IDENTIFIER -> {
                take();
                if (peek().isOperator("(")) {
                    return call(t);
                }
                return new Expr.Path(List.of(new Expr.Step.Name(t.value(), t.position())), t.position());
            }
            case KEYWORD -> {
                return keywordPrimary(t);
            }
            case OPERATOR -> {
                return bracketed(t);
            }
            default -> throw failure();
        }
    }

    private Expr keywordPrimary(Token t) {
        take();
        switch (t.value()) {
            case "true" -> {
                return new Expr.Literal(Expr.Literal.Kind.TRUE, t.text(), t.position());
            }
            case "false" -> {
                return new Expr.Literal(Expr.Literal.Kind.FALSE, t.text(), t.position());
            }
            case "null" -> {
                return new Expr.Literal(Expr.Literal.Kind.NULL, t.text(), t.position());
            }
            case "missing" -> {
                return new Expr.Literal(Expr.Literal.Kind.MISSING, t.text(), t.position());
            }
            default -> {
                if (Keywords.FUNCTION_NAMES.contains(t.value()) && peek().isOperator("(")) {
                    return call(t);
                }
                throw failure();
            }
        }
    }

    private Expr call(Token name) {
        expect(Token.Kind.OPERATOR, "(");
        List<Expr> arguments = new ArrayList<>();
        if (!peek().isOperator(")")) {
            do {
                if (peek().isOperator("*")) {
                    arguments.add(new Expr.Star(take().position()));
                } else if (peek().isKeyword("select")) {
                    Position p = peek().position();
                    arguments.add(new Expr.Subquery(select(), p));
                } else {
                    arguments.add(expression());
                }
            } while (accept(Token.Kind.OPERATOR, ","));
        }
        expect(Token.Kind.OPERATOR, ")");
        return new Expr.Call(name.value().toLowerCase(Locale.ROOT), arguments, name.position());
    }

    private Expr bracketed(Token t) {
        take();
        switch (t.value()) {
            case "(" -> {
                if (peek().isKeyword("select")) {
                    Expr q = new Expr.Subquery(select(), t.position());
                    expect(Token.Kind.OPERATOR, ")");
                    return q;
                }
                Expr e = expression();
                expect(Token.Kind.OPERATOR, ")");
                return e;
            }
            case "[" -> {
                List<Expr> members = peek().isOperator("]") ? List.of() : expressionList();
                expect(Token.Kind.OPERATOR, "]");
                return new Expr.ListValue(members, t.position());
            }
            case "<<" -> {
                List<Expr> members = peek().isOperator(">>") ? List.of() : expressionList();
                expect(Token.Kind.OPERATOR, ">>");
                return new Expr.BagValue(members, t.position());
            }
            case "{" -> {
                List<Expr.StructValue.Field> fields = new ArrayList<>();
                if (!peek().isOperator("}")) {
                    do {
                        Expr key = expression();
                        expect(Token.Kind.OPERATOR, ":");
                        fields.add(new Expr.StructValue.Field(key, expression()));
                    } while (accept(Token.Kind.OPERATOR, ","));
                }
                expect(Token.Kind.OPERATOR, "}");
                return new Expr.StructValue(fields, t.position());
            }
            default -> throw failure();
        }
    }

    /** A path as a SET or REMOVE target. */
    private Expr.Path path() {
        Token t = peek();
        if (t.kind() != Token.Kind.IDENTIFIER && t.kind() != Token.Kind.QUOTED_IDENTIFIER) {
            throw failure();
        }
        Expr e = postfix();
        if (!(e instanceof Expr.Path p)) {
            throw failure();
        }
        return p;
    }

    private void identifier() {
        Token t = take();
        if (t.kind() != Token.Kind.IDENTIFIER && t.kind() != Token.Kind.QUOTED_IDENTIFIER) {
            throw failure();
        }
    }

    // --- tokens -------------------------------------------------------------------------------

    private Token peek() {
        return tokens.get(next);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private Token take() {
        Token t = tokens.get(next);
        if (t.kind() != Token.Kind.END) {
            next++;
        }
        return t;
    }

    private boolean accept(Token.Kind kind, String value) {
        if (peek().is(kind, value)) {
            take();
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String word) {
        return accept(Token.Kind.KEYWORD, word);
    }

    private void expect(Token.Kind kind, String value) {
        if (!accept(kind, value)) {
            throw failure();
        }
    }

    private void expectKeyword(String word) {
        expect(Token.Kind.KEYWORD, word);
    }

    private RuntimeException failure() {
        return PartiqlErrors.notWellFormed(text);
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
