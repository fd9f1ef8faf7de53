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

    public String authority() {
        return "ROLE_" + name();
    }

    /** Whether {@code who} is signed in with at least one of {@code roles} (pages use it to show or hide forms). */
    public static boolean any(Authentication who, Role... roles) {
        return who != null && who.getAuthorities().stream()
                .anyMatch(a -> Arrays.stream(roles).anyMatch(r -> r.authority().equals(a.getAuthority())));
    }
}
