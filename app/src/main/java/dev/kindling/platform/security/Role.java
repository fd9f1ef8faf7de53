package dev.kindling.platform.security;

/** What a user or API key may do. Checked on every endpoint (see {@link SecurityConfiguration}). */
public enum Role {
    ADMIN,
    MARKETING,
    INSIDE_SALES,
    SALES,
    VIEWER;

    public String authority() {
        return "ROLE_" + name();
    }
}
