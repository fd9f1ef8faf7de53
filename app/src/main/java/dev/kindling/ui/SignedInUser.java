package dev.kindling.ui;

import dev.kindling.platform.security.Role;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** Who is signed in to the UI, as the shell shows it. */
public record SignedInUser(String email, List<Role> roles) {

    /** The signed-in user of this authentication, or null for an anonymous one. */
    static SignedInUser of(Authentication authentication) {
        if (authentication == null
                || !authentication.isAuthenticated()
                || "anonymousUser".equals(authentication.getPrincipal())) {
            return null;
        }
        List<Role> roles = authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .flatMap(a -> java.util.Arrays.stream(Role.values())
                        .filter(r -> r.authority().equals(a)))
                .toList();
        return new SignedInUser(authentication.getName(), roles);
    }

    public String roleLabel() {
        return roles.isEmpty() ? "" : roles.getFirst().name().replace('_', ' ').toLowerCase(java.util.Locale.ROOT);
    }
}
