package dev.kindling.engine.sla;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * The hours an SLA clock runs: the given weekdays, from {@code start} to {@code end} local time in {@code zone}
 * (e.g. Monday to Friday, 09:00–18:00, Asia/Tokyo). A lead assigned on Friday evening is due the working hours
 * later, not on Saturday. Daylight-saving gaps are handled by the zone's own rules.
 */
public record BusinessHours(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {

    /** Safety net for the day walk: no window spans more than this many calendar days. */
    private static final int MAX_DAYS = 3_660;

    public BusinessHours {
        if (days == null || days.isEmpty()) {
            throw new IllegalArgumentException("business hours need at least one weekday");
        }
        if (start == null || end == null || !start.isBefore(end)) {
            throw new IllegalArgumentException("business hours must start before they end");
        }
        if (zone == null) {
            throw new IllegalArgumentException("business hours need a time zone");
        }
        days = Set.copyOf(EnumSet.copyOf(days));
    }

    /** Monday to Friday, {@code start} to {@code end}, in {@code zone}. */
    public static BusinessHours weekdays(LocalTime start, LocalTime end, ZoneId zone) {
        return new BusinessHours(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), start, end, zone);
    }

    /** The instant {@code work} of working time after {@code from} (from itself when it lies in working hours). */
    public Instant plus(Instant from, Duration work) {
        if (work.isNegative()) {
            throw new IllegalArgumentException("working time must not be negative");
        }
        Duration left = work;
        LocalDate day = LocalDate.ofInstant(from, zone);
        for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1)) {
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            Instant open = ZonedDateTime.of(day, start, zone).toInstant();
            Instant close = ZonedDateTime.of(day, end, zone).toInstant();
            Instant begin = from.isAfter(open) ? from : open;
            if (!begin.isBefore(close)) {
                continue;
            }
            Duration available = Duration.between(begin, close);
            if (available.compareTo(left) >= 0) {
                return begin.plus(left);
            }
            left = left.minus(available);
        }
        throw new IllegalArgumentException("working time " + work + " does not fit in " + MAX_DAYS + " days");
    }

    /** The working time between {@code from} and {@code to} (zero when {@code to} is not after {@code from}). */
    public Duration between(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return Duration.ZERO;
        }
        Duration total = Duration.ZERO;
        LocalDate day = LocalDate.ofInstant(from, zone);
        LocalDate last = LocalDate.ofInstant(to, zone);
        for (int i = 0; i < MAX_DAYS && !day.isAfter(last); i++, day = day.plusDays(1)) {
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            Instant open = ZonedDateTime.of(day, start, zone).toInstant();
            Instant close = ZonedDateTime.of(day, end, zone).toInstant();
            Instant begin = from.isAfter(open) ? from : open;
            Instant finish = to.isBefore(close) ? to : close;
            if (finish.isAfter(begin)) {
                total = total.plus(Duration.between(begin, finish));
            }
        }
        return total;
    }
}
