package dev.kindling.assignment;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a territory matches, as the assignment query reads it: the prospect's country and industry compared without
 * case (empty set = any), its company size within the bounds (null = open). The territory list is ordered, so
 * partial overlaps are fine (the first match wins); {@link #covers} finds the one overlap that is always a mistake,
 * a territory that can never match because an earlier one takes every prospect it would.
 */
record TerritoryRule(Set<String> countries, Set<String> industries, Integer minEmployees, Integer maxEmployees) {

    static TerritoryRule of(Collection<String> countries, Collection<String> industries, Integer min, Integer max) {
        return new TerritoryRule(lower(countries), lower(industries), min, max);
    }

    private static Set<String> lower(Collection<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** A rule without any criterion would match everyone: that is the fallback team's job. */
    boolean empty() {
        return countries.isEmpty() && industries.isEmpty() && minEmployees == null && maxEmployees == null;
    }

    /** Whether every prospect {@code later} matches is matched by this rule too. */
    boolean covers(TerritoryRule later) {
        return covers(countries, later.countries)
                && covers(industries, later.industries)
                && (minEmployees == null || later.minEmployees != null && later.minEmployees >= minEmployees)
                && (maxEmployees == null || later.maxEmployees != null && later.maxEmployees <= maxEmployees);
    }

    private static boolean covers(Set<String> earlier, Set<String> later) {
        return earlier.isEmpty() || !later.isEmpty() && earlier.containsAll(later);
    }
}
