package dev.eddy.core.auth;

import dev.eddy.core.auth.policy.Policy;

/**
 * Who sent a request, once its signature is verified: what AccessDeniedException names and what its
 * policy allows. With authentication off every request is {@link #UNAUTHENTICATED}, with full access.
 */
public record Caller(String accessKeyId, String principalArn, Policy policy) {
    public static final Caller UNAUTHENTICATED = new Caller(null, "anonymous", null);

    public static Caller of(Credential credential) {
        return new Caller(credential.accessKeyId(), credential.principalArn(), credential.policy());
    }

    /** Whether a policy limits this caller (a credential without one has full access). */
    public boolean restricted() {
        return policy != null;
    }
}
