package dev.eddy.core.auth.policy;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * IAM's condition operators that a DynamoDB policy uses (IAM User Guide, "IAM JSON policy elements:
 * Condition operators"). Each negated operator is its positive twin with the outcome turned over;
 * a key the request does not have fails a positive operator and passes a negated one.
 */
public enum ConditionOperator {
    STRING_EQUALS("StringEquals", false),
    STRING_NOT_EQUALS("StringNotEquals", true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", true),
    STRING_LIKE("StringLike", false),
    STRING_NOT_LIKE("StringNotLike", true),
    NUMERIC_EQUALS("NumericEquals", false),
    NUMERIC_NOT_EQUALS("NumericNotEquals", true),
    NUMERIC_LESS_THAN("NumericLessThan", false),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", false),
    NUMERIC_GREATER_THAN("NumericGreaterThan", false),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", false),
    BOOL("Bool", false),
    ARN_EQUALS("ArnEquals", false),
    ARN_LIKE("ArnLike", false),
    ARN_NOT_EQUALS("ArnNotEquals", true),
    ARN_NOT_LIKE("ArnNotLike", true),
    NULL("Null", false);

    private final String text;
    private final boolean negated;

    ConditionOperator(String text, boolean negated) {
        this.text = text;
        this.negated = negated;
    }

    public static ConditionOperator named(String name) {
        for (ConditionOperator op : values()) {
            if (op.text.equals(name)) {
                return op;
            }
        }
        return null;
    }

    public String text() {
        return text;
    }

    public boolean negated() {
        return negated;
    }

    /** The positive test: does the request's value match the policy's? (Negation is applied by the caller.) */
    boolean matches(String policyValue, String requestValue) {
        return switch (this) {
            case STRING_EQUALS, STRING_NOT_EQUALS -> policyValue.equals(requestValue);
            case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE -> policyValue.equalsIgnoreCase(requestValue);
            case STRING_LIKE, STRING_NOT_LIKE -> Wildcard.matches(policyValue, requestValue, false);
            case ARN_EQUALS, ARN_NOT_EQUALS, ARN_LIKE, ARN_NOT_LIKE -> Wildcard.matchesArn(policyValue, requestValue);
            case BOOL -> policyValue.toLowerCase(Locale.ROOT).equals(requestValue.toLowerCase(Locale.ROOT));
            case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS, NUMERIC_LESS_THAN, NUMERIC_LESS_THAN_EQUALS, NUMERIC_GREATER_THAN,
                 NUMERIC_GREATER_THAN_EQUALS -> numeric(requestValue, policyValue);
            case NULL -> throw new IllegalStateException("Null is decided on presence alone");
        };
    }

    /** A request value that is not a number matches no numeric condition. */
    private boolean numeric(String requestValue, String policyValue) {
        int c;
        try {
            c = new BigDecimal(requestValue).compareTo(new BigDecimal(policyValue));
        } catch (NumberFormatException e) {
            return false;
        }
        return switch (this) {
            case NUMERIC_LESS_THAN -> c < 0;
            case NUMERIC_LESS_THAN_EQUALS -> c <= 0;
            case NUMERIC_GREATER_THAN -> c > 0;
            case NUMERIC_GREATER_THAN_EQUALS -> c >= 0;
            default -> c == 0;
        };
    }
}
