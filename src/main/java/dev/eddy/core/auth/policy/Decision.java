package dev.eddy.core.auth.policy;

/** IAM's three outcomes: an explicit Deny wins over any Allow, and with neither the answer is no. */
public enum Decision {
    ALLOW, IMPLICIT_DENY, EXPLICIT_DENY
}
