package dev.kindling.reports;

import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the KPI dashboard is asked for: the period {@code from} … {@code to} (whole UTC days, both included, at most
 * {@value #MAX_YEARS} years) and the length of the trend's periods (a week, Monday to Sunday, or a calendar month).
 * The dashboard compares the period with the one of the same length just before it, and draws the
 * {@value #TREND} weeks or months ending with the one that holds {@code to}.
 */
public record KpiQuery(LocalDate from, LocalDate to, Period period) {

    static final int MAX_YEARS = 5;
    static final int TREND = 12;

    /** The length of a trend period. */
    public enum Period { WEEK, MONTH }

    /** A span of whole UTC days, both ends included. */
    public record Span(LocalDate from, LocalDate to) {

        Instant start() {
            return from.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        Instant end() {
            return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
    }

    Span current() {
        return new Span(from, to);
    }

    /** The span of the same number of days just before the period. */
    Span previous() {
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        return new Span(from.minusDays(days), from.minusDays(1));
    }

    /** The {@value #TREND} weeks or months ending with the one that holds {@code to}, oldest first. */
    List<Span> trend() {
        List<Span> out = new ArrayList<>();
        for (int k = TREND - 1; k >= 0; k--) {
            if (period == Period.MONTH) {
                LocalDate first = to.withDayOfMonth(1).minusMonths(k);
                out.add(new Span(first, first.with(TemporalAdjusters.lastDayOfMonth())));
            } else {
                LocalDate monday = to.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(k);
                out.add(new Span(monday, monday.plusDays(6)));
            }
        }
        return out;
    }

    /** Every span the dashboard computes, in one order: the period, the previous one, then the trend. */
    List<Span> spans() {
        List<Span> out = new ArrayList<>(List.of(current(), previous()));
        out.addAll(trend());
        return out;
    }

    /**
     * Parses request parameters; every problem is reported at once as a field error (400). {@code period} defaults
     * to month.
     */
    public static KpiQuery parse(String from, String to, String period) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate start = LifecycleQuery.date("from", from, errors);
        LocalDate end = LifecycleQuery.date("to", to, errors);
        if (start != null && end != null) {
            if (start.isAfter(end)) {
                errors.add(new FieldError("to", "must not be before from"));
            } else if (end.isAfter(start.plusYears(MAX_YEARS).minusDays(1))) {
                errors.add(new FieldError("to", "the period may span at most " + MAX_YEARS + " years"));
            }
        }
        Period p = Period.MONTH;
        if (period != null && !period.isBlank()) {
            try {
                p = Period.valueOf(period.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("period", "must be one of week, month"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new KpiQuery(start, end, p);
    }
}
