package dev.eddy.core.auth.policy;

import java.util.List;

/**
 * One key of a statement's Condition block: {@code "ForAllValues:StringEquals": {"dynamodb:Attributes": [...]}}
 * is one Condition per key. IAM's rules: the request's value matches if it matches any of the policy's
 * values; a set qualifier decides over a multi-valued key (ForAllValues: every request value must
 * match, and a missing or empty key passes; ForAnyValue: at least one must); IfExists passes a key the
 * request does not have; Null tests only whether the key is there.
 */
public record Condition(ConditionOperator operator, Qualifier qualifier, boolean ifExists, String key,
                        List<String> values) {
    public enum Qualifier { NONE, FOR_ALL_VALUES, FOR_ANY_VALUE }

    public boolean holds(AccessRequest request, PolicyVariables variables) {
        List<String> present = request.values(key);
        if (operator == ConditionOperator.NULL) {
            boolean missing = present == null || present.isEmpty();
            return values.stream().anyMatch(v -> Boolean.parseBoolean(v) == missing);
        }
        if (present == null || present.isEmpty()) {
            if (ifExists) {
                return true;
            }
            return switch (qualifier) {
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> false;
                case NONE -> operator.negated();
            };
        }
        return switch (qualifier) {
            case FOR_ALL_VALUES -> present.stream().allMatch(v -> satisfies(v, variables));
            case FOR_ANY_VALUE -> present.stream().anyMatch(v -> satisfies(v, variables));
            // A plain operator on a multi-valued key: positive when any value matches, negated when none does.
            case NONE -> operator.negated() ? present.stream().allMatch(v -> satisfies(v, variables))
                    : present.stream().anyMatch(v -> satisfies(v, variables));
        };
    }

    /** One request value against the policy's values, the operator's negation applied. */
    private boolean satisfies(String requestValue, PolicyVariables variables) {
        boolean any = false;
        for (String v : values) {
            if (operator.matches(variables.substitute(v), requestValue)) {
                any = true;
                break;
            }
        }
        return operator.negated() != any;
    }
}
