package dev.eddy.core.auth.policy;

import java.util.Map;

/**
 * Policy variables ({@code ${aws:username}} in a Resource or a condition value), filled from the
 * caller, as IAM does in policies of Version 2012-10-17: a user's items can then be keyed by the
 * user's own name ({@code "dynamodb:LeadingKeys": ["${aws:username}"]}). An unknown variable is
 * left as written, so it matches nothing by accident.
 */
public final class PolicyVariables {
    public static final PolicyVariables NONE = new PolicyVariables(Map.of());
    private final Map<String, String> values;

    public PolicyVariables(Map<String, String> values) {
        this.values = values;
    }

    /** aws:username (the user's name in its ARN), aws:userid (the access key), aws:PrincipalArn. */
    public static PolicyVariables forCaller(String principalArn, String accessKeyId) {
        int slash = principalArn.lastIndexOf('/');
        return new PolicyVariables(Map.of(
                "aws:username", slash < 0 ? principalArn : principalArn.substring(slash + 1),
                "aws:userid", accessKeyId == null ? "" : accessKeyId,
                "aws:principalarn", principalArn));
    }

    public String substitute(String text) {
        int start = text.indexOf("${");
        if (start < 0) {
            return text;
        }
        StringBuilder s = new StringBuilder();
        int i = 0;
        while (start >= 0) {
            int end = text.indexOf('}', start);
            if (end < 0) {
                break;
            }
            s.append(text, i, start);
            String name = text.substring(start + 2, end);
            String value = switch (name) {
                case "*", "?", "$" -> name; // IAM's escapes for a literal wildcard or dollar sign
                default -> values.get(name.toLowerCase(java.util.Locale.ROOT));
            };
            s.append(value != null ? value : text.substring(start, end + 1));
            i = end + 1;
            start = text.indexOf("${", i);
        }
        return s.append(text.substring(i)).toString();
    }
}
