package dev.kindling.people;

import java.time.Instant;

/** A user as the API shows it (never the password hash). */
public record UserView(
        long id,
        String email,
        String name,
        String role,
        Long teamId,
        boolean active,
        String language,
        String timeZone,
        Instant createdAt) {}
