package dev.kindling.reports;

import dev.kindling.platform.web.FieldError;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The closed-loop report's parameters: the cohort's capture period {@code from}..{@code to} (dates, inclusive, UTC, at
 * most {@value #MAX_YEARS} years) and {@code minProspects} (1..{@value #MAX_MIN_PROSPECTS}, default
 * {@value #DEFAULT_MIN_PROSPECTS}): actions and fit values done by fewer prospects are pooled.
 */
record ClosedLoopQuery(LocalDate from, LocalDate to, int minProspects) {

    static final int MAX_YEARS = 5;
    static final int DEFAULT_MIN_PROSPECTS = 20;
    static final int MAX_MIN_PROSPECTS = 100_000;

    Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant after the period. */
    Instant end() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Every problem at once, as field errors (400). */
    static ClosedLoopQuery parse(String from, String to, String minProspects) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate[] period = LifecycleQuery.period(from, to, MAX_YEARS, errors);
        LocalDate start = period[0];
        LocalDate end = period[1];
        int min = DEFAULT_MIN_PROSPECTS;
        if (minProspects != null && !minProspects.isBlank()) {
            try {
                min = Integer.parseInt(minProspects.strip());
            } catch (NumberFormatException e) {
                min = -1;
            }
            if (min < 1 || min > MAX_MIN_PROSPECTS) {
                errors.add(new FieldError("minProspects", "must be an integer between 1 and " + MAX_MIN_PROSPECTS));
            }
        }
        if (!errors.isEmpty()) {
            throw new dev.kindling.platform.web.InvalidInputException(errors);
        }
        return new ClosedLoopQuery(start, end, min);
    }
}
