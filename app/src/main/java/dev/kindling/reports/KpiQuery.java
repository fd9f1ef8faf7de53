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

/**
 * What the KPI dashboard is asked for: the period {@code from} … {@code to} (whole UTC days, both included, at most
 * {@value #MAX_YEARS} years) and the length of the trend's periods (a week, Monday to Sunday, or a calendar month).
 * The dashboard compares the period with the one of the same length just before it, and draws the
 * {@value #TREND} weeks or months ending with the one that holds {@code to}.
 */
public record KpiQuery(
        LocalDate from, LocalDate to, Period period, LifecycleQuery.Segment segment, String segmentValue) {

    static final int MAX_YEARS = 5;
    static final int TREND = 12;

    /** The length of a trend period. */
    public enum Period {
        WEEK,
        MONTH
    }

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
                LocalDate monday = to.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                        .minusWeeks(k);
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
     * to month; a segment (the lifecycle report's) needs one value: the dashboard filters, it does not break down.
     */
    public static KpiQuery parse(String from, String to, String period, String segment, String segmentValue) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate[] span = LifecycleQuery.period(from, to, MAX_YEARS, errors);
        Period p = LifecycleQuery.choice("period", period, Period.class, Period.MONTH, errors);
        LifecycleQuery.Segment s =
                LifecycleQuery.choice("segment", segment, LifecycleQuery.Segment.class, null, errors);
        int known = errors.size();
        String value = LifecycleQuery.segmentValue(s, segmentValue, errors);
        if (s != null && value == null && errors.size() == known) {
            errors.add(new FieldError("segmentValue", "the dashboard shows one segment value: give it"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new KpiQuery(span[0], span[1], p, s, value);
    }

    /** The query as a lifecycle query of the same period and segment, for the segment's SQL. */
    LifecycleQuery lifecycle() {
        return new LifecycleQuery(
                from, to, LifecycleQuery.View.COHORT, LifecycleQuery.Model.PARDOT, segment, segmentValue);
    }
}
