package dev.eddy.functions.security;

import java.util.Locale;

/**
 * Whether requests must be signed. {@code eddy.auth.enabled} decides when set; unset, the embedded
 * default (role {@code all}, one process for local development) runs without authentication and the
 * function and maintenance roles, which are deployed, require it.
 */
public final class AuthModes {
    public static final String ENABLED = "eddy.auth.enabled";
    public static final String CREDENTIALS_FILE = "eddy.auth.credentials-file";
    public static final String ROLE = "eddy.role";

    private AuthModes() {
    }

    /** @param enabled the setting's value, or null; @param role eddy.role's value, or null for the default (function) */
    public static boolean enabled(String enabled, String role) {
        if (enabled != null && !enabled.isBlank()) {
            return Boolean.parseBoolean(enabled.strip());
        }
        return !isEmbeddedDefault(role);
    }

    /**
     * Role all: everything in one process, the local app's role. Unset is the function role (the
     * function artifact's default, as EddySettings has it), so an unset role never opens the endpoint.
     */
    public static boolean isEmbeddedDefault(String role) {
        return role != null && role.strip().toLowerCase(Locale.ROOT).equals("all");
    }
}
