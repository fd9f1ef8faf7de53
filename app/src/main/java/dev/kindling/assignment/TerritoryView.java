package dev.kindling.assignment;

import java.time.Instant;
import java.util.List;

/**
 * A territory: its place in the order ({@code position}, lower first), its criteria (an empty list or a null bound
 * means "any") and where matching prospects go — a team (round-robin within it) or a user.
 */
public record TerritoryView(
        long id,
        String name,
        int position,
        List<String> countries,
        List<String> industries,
        Integer minEmployees,
        Integer maxEmployees,
        Long teamId,
        Long userId,
        Instant createdAt) {

    TerritoryRule rule() {
        return TerritoryRule.of(countries, industries, minEmployees, maxEmployees);
    }
}
