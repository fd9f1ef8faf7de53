package dev.kindling.platform.security;

import java.util.Arrays;
import org.springframework.security.core.Authentication;

/** What a user or API key may do. Checked on every endpoint (see {@link SecurityConfiguration}). */
public enum Role {
    ADMIN,
    MARKETING,
    INSIDE_SALES,
    SALES,
    VIEWER;

    /**
     * What a key issued with this role may do for a user whose role is now {@code current}: never more than the
     * user. ADMIN is above every role and VIEWER below every role; MARKETING, INSIDE_SALES and SALES are side by
     * side, so a key of one of them whose user has moved to another reads only (VIEWER).
     */
    public Role narrowedTo(Role current) {
        if (this == current || current == ADMIN) {
            return this;
        }
        if (this == ADMIN || current == VIEWER) {
            return current;
        }
        return VIEWER;
    }

    /** Whether a key with this role would act with no more than {@code holder} may: ADMIN above all, VIEWER below. */
    public boolean isAtMost(Role holder) {
        return narrowedTo(holder) == this;
    }

    public String authority() {
        return "ROLE_" + name();
    }

    /** Whether {@code who} is signed in with at least one of {@code roles} (pages use it to show or hide forms). */
    public static boolean any(Authentication who, Role... roles) {
        return who != null
                && who.getAuthorities().stream()
                        .anyMatch(a ->
                                Arrays.stream(roles).anyMatch(r -> r.authority().equals(a.getAuthority())));
    }
}
