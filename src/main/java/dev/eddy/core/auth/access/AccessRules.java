package dev.eddy.core.auth.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.auth.policy.AccessRequest;
import java.util.List;

/**
 * What an operation does, as IAM sees it: its registered {@link OperationAccess} (the operation
 * registry holds one per operation), or, for an operation registered without one, its action on
 * every resource, which only a policy allowing the action everywhere allows.
 */
public final class AccessRules {
    private AccessRules() {
    }

    public static List<AccessRequest> of(OperationAccess rule, String operation, JsonNode request, AccessContext context) {
        if (rule == null) {
            return List.of(Facts.of(operation, "*", context).build());
        }
        return rule.of(request, context);
    }
}
