package dev.kindling.platform.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The one parser of dates and instants that come from outside (API bodies, query parameters, forms, imports): ISO-8601,
 * and only years 1000 to 9999. {@code java.time} reads year 0 and {@code +275760-09-13} happily, but PostgreSQL
 * shifts year 0 to 1 BC, and clients (JavaScript, spreadsheets) cannot show five-digit years; such a date is refused
 * like any other invalid one: a {@link DateTimeParseException}, which every caller already answers with a 400 naming
 * the field.
 */
public final class InputDates {

    public static final int EARLIEST_YEAR = 1000;
    public static final int LATEST_YEAR = 9999;

    private InputDates() {}

    /** An ISO date ({@code 2030-01-31}). */
    public static LocalDate date(String text) {
        return inRange(LocalDate.parse(text), text);
    }

    /** An ISO instant ({@code 2030-01-31T09:00:00Z}). */
    public static Instant instant(String text) {
        Instant instant = Instant.parse(text);
        inRange(LocalDate.ofInstant(instant, ZoneOffset.UTC), text);
        return instant;
    }

    /** An ISO date-time with an offset ({@code 2030-01-31T09:00:00+09:00}). */
    public static Instant offsetDateTime(String text) {
        OffsetDateTime at = OffsetDateTime.parse(text);
        inRange(at.toLocalDate(), text);
        return at.toInstant();
    }

    private static LocalDate inRange(LocalDate date, String text) {
        if (date.getYear() < EARLIEST_YEAR || date.getYear() > LATEST_YEAR) {
            throw new DateTimeParseException(
                    "the year must be between " + EARLIEST_YEAR + " and " + LATEST_YEAR, text, 0);
        }
        return date;
    }
}
