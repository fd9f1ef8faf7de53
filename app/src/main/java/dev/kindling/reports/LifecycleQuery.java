package dev.kindling.reports;

import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InputDates;
import dev.kindling.platform.web.InvalidInputException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a lifecycle report is asked for: the period {@code from} … {@code to} (whole UTC days, both included, at
 * most {@value #MAX_YEARS} years), the view, the model and an optional segment (a dimension, and optionally one
 * value of it to filter by; without a value the report is broken down by the dimension's values).
 */
public record LifecycleQuery(
        LocalDate from, LocalDate to, View view, Model model, Segment segment, String segmentValue) {

    static final int MAX_YEARS = 3;
    static final int MAX_VALUE_LENGTH = 200;

    /** Cohort: prospects captured in the period and how far they got since; flow: stage entries in the period. */
    public enum View {
        COHORT,
        FLOW
    }

    /** Pardot's five steps, or every stage of the success path. */
    public enum Model {
        PARDOT,
        STAGES
    }

    /** The dimensions a report can be segmented by (current values of the prospect). */
    public enum Segment {
        SOURCE,
        CAMPAIGN,
        INDUSTRY,
        GRADE,
        LIST,
        OWNER
    }

    /** The first instant of the period. */
    public Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant after the period (the day after {@code to}, 00:00 UTC). */
    public Instant end() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Whether the report is broken down by the values of its segment. */
    public boolean isBreakdown() {
        return segment != null && segmentValue == null;
    }

    /**
     * Parses request parameters; every problem is reported at once as a field error (400). Empty strings count as
     * absent; {@code view} defaults to cohort and {@code model} to pardot.
     */
    public static LifecycleQuery parse(
            String from, String to, String view, String model, String segment, String segmentValue) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate[] period = period(from, to, MAX_YEARS, errors);
        LocalDate start = period[0];
        LocalDate end = period[1];
        View v = choice("view", view, View.class, View.COHORT, errors);
        Model m = choice("model", model, Model.class, Model.PARDOT, errors);
        Segment s = choice("segment", segment, Segment.class, null, errors);
        String value = segmentValue(s, segmentValue, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new LifecycleQuery(start, end, v, m, s, value);
    }

    /**
     * The period {@code from} … {@code to} as two dates (either null when invalid), with a field error for a missing
     * or malformed date, {@code from} after {@code to}, or a span over {@code maxYears} years.
     */
    static LocalDate[] period(String from, String to, int maxYears, List<FieldError> errors) {
        LocalDate start = date("from", from, errors);
        LocalDate end = date("to", to, errors);
        if (start != null && end != null) {
            if (start.isAfter(end)) {
                errors.add(new FieldError("to", "must not be before from"));
            } else if (end.isAfter(start.plusYears(maxYears).minusDays(1))) {
                errors.add(new FieldError("to", "the period may span at most " + maxYears + " years"));
            }
        }
        return new LocalDate[] {start, end};
    }

    /** The segment value stripped (null when absent), with a field error when it does not fit the segment. */
    static String segmentValue(Segment s, String segmentValue, List<FieldError> errors) {
        String value = blank(segmentValue) ? null : segmentValue.strip();
        if (value != null) {
            if (s == null) {
                errors.add(new FieldError("segmentValue", "needs a segment"));
            } else if (value.length() > MAX_VALUE_LENGTH) {
                errors.add(new FieldError("segmentValue", "must be at most " + MAX_VALUE_LENGTH + " characters"));
            } else if ((s == Segment.CAMPAIGN || s == Segment.OWNER || s == Segment.LIST)
                    && !value.matches("[0-9]{1,18}")) {
                errors.add(new FieldError(
                        "segmentValue", "must be the id of a " + s.name().toLowerCase(Locale.ROOT)));
            }
        } else if (s == Segment.LIST) {
            errors.add(new FieldError(
                    "segmentValue",
                    "a list segment needs the list's id (a prospect can be in many"
                            + " lists, so lists are not broken down)"));
        }
        return value;
    }

    static LocalDate date(String field, String text, List<FieldError> errors) {
        if (blank(text)) {
            errors.add(new FieldError(field, "is required (a date, yyyy-mm-dd)"));
            return null;
        }
        try {
            return InputDates.date(text.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a date, yyyy-mm-dd"));
            return null;
        }
    }

    static <E extends Enum<E>> E choice(String field, String text, Class<E> type, E absent, List<FieldError> errors) {
        if (blank(text)) {
            return absent;
        }
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> known = java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                    .toList();
            errors.add(new FieldError(field, "must be one of " + String.join(", ", known)));
            return null;
        }
    }

    static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
