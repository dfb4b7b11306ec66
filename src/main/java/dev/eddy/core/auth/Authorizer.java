package dev.eddy.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.auth.access.AccessContext;
import dev.eddy.core.auth.access.AccessRules;
import dev.eddy.core.auth.policy.AccessRequest;
import dev.eddy.core.auth.policy.Decision;
import dev.eddy.core.auth.policy.PolicyVariables;
import dev.eddy.core.error.Errors;
import dev.eddy.core.table.TableDefinition;
import java.util.List;
import java.util.function.Function;

/**
 * Decides whether a caller may run a request: every action the request performs
 * ({@link AccessRules}) must be allowed by the caller's policy. A caller without a policy has full
 * access and costs nothing here. An explicit Deny on any part is reported before an implicit one.
 */
public final class Authorizer {
    private final String region;
    private final String accountId;
    private final Function<String, TableDefinition> tables;

    /** @param tables a table's definition by name, or null; consulted for key schemas only */
    public Authorizer(String region, String accountId, Function<String, TableDefinition> tables) {
        this.region = region;
        this.accountId = accountId;
        this.tables = tables;
    }

    /**
     * @param rule     the operation's access facts, as registered (null: its action on every resource)
     * @param request  the parsed request body
     * @param secure   whether the request came over TLS
     */
    public void authorize(Caller caller, String operation, dev.eddy.core.auth.access.OperationAccess rule,
                          JsonNode request, boolean secure) {
        if (!caller.restricted()) {
            return;
        }
        List<AccessRequest> requests = AccessRules.of(rule, operation,
                request == null || !request.isObject() ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                        .objectNode() : request,
                new AccessContext(region, accountId, tables, secure));
        authorize(caller, requests);
    }

    /** Checks actions named by the caller's transport itself (the Lambda API's, which are not DynamoDB operations). */
    public void authorize(Caller caller, List<AccessRequest> requests) {
        if (!caller.restricted()) {
            return;
        }
        PolicyVariables variables = PolicyVariables.forCaller(caller.principalArn(), caller.accessKeyId());
        AccessRequest denied = null;
        for (AccessRequest r : requests) {
            Decision d = caller.policy().evaluate(r, variables);
            if (d == Decision.EXPLICIT_DENY) {
                throw Errors.accessExplicitlyDenied(caller.principalArn(), r.action(), r.resource());
            }
            if (d == Decision.IMPLICIT_DENY && denied == null) {
                denied = r;
            }
        }
        if (denied != null) {
            throw Errors.accessDenied(caller.principalArn(), denied.action(), denied.resource());
        }
    }
}
