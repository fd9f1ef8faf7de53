package dev.kindling.sales;

import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InputDates;
import dev.kindling.platform.web.InvalidInputException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** A report period: whole UTC days from {@code from} to {@code to}, both included. */
record Period(LocalDate from, LocalDate to) {

    static final int MAX_DAYS = 731;

    Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant after the period. */
    Instant end() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The period asked for; blank dates default to the {@code defaultDays} days ending today. */
    static Period parse(String from, String to, int defaultDays, Clock clock) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<FieldError> errors = new ArrayList<>();
        LocalDate t = date(to, "to", today, errors);
        LocalDate f = date(from, "from", t.minusDays(defaultDays - 1L), errors);
        if (errors.isEmpty() && f.isAfter(t)) {
            errors.add(new FieldError("to", "must not be before from"));
        }
        if (errors.isEmpty() && f.plusDays(MAX_DAYS).isBefore(t)) {
            errors.add(new FieldError("from", "the period may span at most " + MAX_DAYS + " days"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Period(f, t);
    }

    private static LocalDate date(String raw, String field, LocalDate fallback, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return InputDates.date(raw.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a date like 2030-01-31"));
            return fallback;
        }
    }
}
