package dev.kindling.platform.security;

import java.security.Principal;

/** The signed-in user (UI session) or the holder of an API key. */
public record KindlingPrincipal(long userId, String email, Role role) implements Principal {

    @Override
    public String getName() {
        return email;
    }
}
