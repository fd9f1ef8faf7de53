package dev.kindling.platform.security;

import java.security.Principal;

/** The signed-in user (UI session) or the holder of an API key ({@code apiKeyId} set; null for a session). */
public record KindlingPrincipal(long userId, String email, Role role, Long apiKeyId) implements Principal {

    public KindlingPrincipal(long userId, String email, Role role) {
        this(userId, email, role, null);
    }

    @Override
    public String getName() {
        return email;
    }
}
