package dev.eddy.core.auth.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.auth.policy.AccessRequest;
import java.util.List;

/**
 * An operation's authorization facts: the IAM actions it performs, on which resources, with which
 * condition keys, computed from its parsed request. One per operation, registered in
 * {@link AccessRules}. Never rejects a request itself: a request too malformed to say what it
 * touches says less, and the operation then refuses it with DynamoDB's error.
 */
@FunctionalInterface
public interface OperationAccess {
    List<AccessRequest> of(JsonNode request, AccessContext context);
}
