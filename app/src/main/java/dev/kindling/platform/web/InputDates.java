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

    /**
     * An ISO instant ({@code 2030-01-31T09:00:00Z}). The shape nearly every client sends (UTC, {@code Z}, up to nine
     * digits of fraction, a valid date and a time before 24:00:00) is read by hand, {@code Instant.parse}'s formatter
     * being most of the accept path's date work (4 % of the app's CPU in W1, issue 16); any other text goes to
     * {@code Instant.parse}, which gives the same instant for that shape (InputDatesTest) and is the only judge of
     * the rest.
     */
    public static Instant instant(String text) {
        Instant instant = parsed(text);
        inRange(LocalDate.ofInstant(instant, ZoneOffset.UTC), text);
        return instant;
    }

    /**
     * {@code Instant.parse}'s answer (or exception), the usual shape read by hand ({@link #plainUtc}), with no check of
     * the year: {@link #instant}'s reading, and how instants the app wrote with {@code Instant.toString} are read back
     * on the intake's path (the score memory's {@code activityAt}).
     */
    public static Instant parsed(String text) {
        Instant plain = plainUtc(text);
        return plain != null ? plain : Instant.parse(text);
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with valid fields as its instant, or null for any other text: for such
     * text, {@code Instant.parse}'s answer at a fraction of its cost ({@code InputDatesTest}).
     */
    static Instant plainUtc(String text) {
        int length = text.length();
        if (length < 20
                || length == 21
                || length > 30
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z'
                || (length > 20 && text.charAt(19) != '.')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int fraction = length > 20 ? digits(text, 20, length - 1) : 0;
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > java.time.Month.of(month).length(java.time.Year.isLeap(year))
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || fraction < 0) {
            return null;
        }
        int nanos = fraction;
        for (int i = length - 1; i < 29; i++) {
            nanos *= 10;
        }
        long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second;
        return Instant.ofEpochSecond(seconds, length > 20 ? nanos : 0);
    }

    /** The ASCII digits of {@code text} from {@code from} to {@code to} as a number, or -1 if one is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
