package dev.eddy.core.expression;

/**
 * The expression languages, each named by the request member it arrives in; DynamoDB's errors
 * about an expression start with "Invalid &lt;member&gt;: ".
 */
public enum ExpressionKind {
    CONDITION("ConditionExpression"),
    FILTER("FilterExpression"),
    KEY_CONDITION("KeyConditionExpression"),
    UPDATE("UpdateExpression"),
    PROJECTION("ProjectionExpression");

    private final String member;

    ExpressionKind(String member) {
        this.member = member;
    }

    public String member() {
        return member;
    }

    /** Condition, filter and key condition expressions share one grammar and one set of functions. */
    boolean isCondition() {
        return this == CONDITION || this == FILTER || this == KEY_CONDITION;
    }
}
