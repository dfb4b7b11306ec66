package dev.eddy.core.auth.policy;

import java.util.List;

/**
 * One statement of a policy. Exactly one of {@code actions}/{@code notActions} and of
 * {@code resources}/{@code notResources} is non-null; every condition must hold for it to apply.
 */
public record Statement(String sid, boolean allow, List<String> actions, List<String> notActions,
                        List<String> resources, List<String> notResources, List<Condition> conditions) {

    public boolean appliesTo(AccessRequest request, PolicyVariables variables) {
        // IAM action names are case-insensitive; resource ARNs are not.
        boolean action = actions != null ? anyAction(actions, request.action())
                : !anyAction(notActions, request.action());
        if (!action) {
            return false;
        }
        boolean resource = resources != null ? anyResource(resources, request.resource(), variables)
                : !anyResource(notResources, request.resource(), variables);
        if (!resource) {
            return false;
        }
        for (Condition c : conditions) {
            if (!c.holds(request, variables)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyAction(List<String> patterns, String action) {
        for (String p : patterns) {
            if (Wildcard.matches(p, action, true)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyResource(List<String> patterns, String resource, PolicyVariables variables) {
        for (String p : patterns) {
            String pattern = variables.substitute(p);
            // An action without a resource of its own (ListStreams) is requested on "*", which only a
            // Resource of "*" covers, as in IAM.
            if (Wildcard.matchesArn(pattern, resource)) {
                return true;
            }
        }
        return false;
    }
}
