package dev.eddy.core.expression;

import dev.eddy.core.error.Errors;
import java.util.List;

/**
 * Where expressions are parsed: each text goes through tokens, syntax, checks, and comes out as
 * what the operation evaluates. Parse each expression of a request once, with the request's
 * {@link Placeholders}, then call {@link Placeholders#checkAllUsed()}.
 */
public final class Expressions {
    /** "The maximum length of any expression string is 4 KB" (Developer Guide, "Expressions"). */
    static final int MAX_LENGTH = 4096;

    private Expressions() {
    }

    public static Condition condition(String text, Placeholders placeholders) {
        return condition(ExpressionKind.CONDITION, text, placeholders);
    }

    public static Condition filter(String text, Placeholders placeholders) {
        return condition(ExpressionKind.FILTER, text, placeholders);
    }

    public static Update update(String text, Placeholders placeholders) {
        checkText(ExpressionKind.UPDATE, text);
        return Analyzer.update(deep(ExpressionKind.UPDATE, () -> Parser.update(text)), placeholders);
    }

    public static Projection projection(String text, Placeholders placeholders) {
        checkText(ExpressionKind.PROJECTION, text);
        List<Syntax.Path> paths = Parser.projection(text);
        return Analyzer.projection(paths, placeholders);
    }

    public static KeyCondition keyCondition(String text, Placeholders placeholders, KeyCondition.Schema schema) {
        return KeyCondition.of(condition(ExpressionKind.KEY_CONDITION, text, placeholders), schema);
    }

    private static Condition condition(ExpressionKind kind, String text, Placeholders placeholders) {
        checkText(kind, text);
        return Analyzer.condition(kind, deep(kind, () -> Parser.condition(kind, text)), placeholders);
    }

    /**
     * Parses with a guard for the stack: the parser refuses nesting past what 300 operators allow,
     * but how much stack that takes depends on the JIT's state; a thread that still runs out gets
     * the same refusal (HTTP 400), never an internal error.
     */
    private static <T> T deep(ExpressionKind kind, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (StackOverflowError tooDeep) {
            throw Errors.tooManyOperators(kind.member(), Analyzer.MAX_OPERATORS + 1);
        }
    }

    private static void checkText(ExpressionKind kind, String text) {
        if (text.isEmpty()) {
            throw Errors.emptyExpression(kind.member());
        }
        // DynamoDB counts characters here, as DynamoDB Local shows.
        if (text.length() > MAX_LENGTH) {
            throw Errors.expressionTooLong(kind.member(), text.length());
        }
    }
}
