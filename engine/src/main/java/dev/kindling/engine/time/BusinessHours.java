package dev.kindling.engine.time;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Business hours, the one type for every working-time window of the app: on {@code days}, from {@code opens}
 * (inclusive) to {@code closes} (exclusive), wall-clock time in {@code zone} (e.g. Monday to Friday, 09:00–18:00,
 * Asia/Tokyo). A program's sends wait for the next window ({@link #nextOpen}); an SLA clock runs only in working
 * time ({@link #plus}, {@link #between}). A window never crosses midnight. Daylight-saving gaps are handled by the
 * zone's own rules (an opening that does not exist that day moves later by the gap, as {@link ZonedDateTime#of}
 * does).
 *
 * <p>The record accepts anything so that a program's validator can report every problem at once ({@link #problems});
 * the clock methods need hours without problems.
 */
public record BusinessHours(Set<DayOfWeek> days, LocalTime opens, LocalTime closes, ZoneId zone) {

    /** Safety net for the day walk: no window spans more than this many calendar days. */
    private static final int MAX_DAYS = 3_660;

    public BusinessHours {
        days = days == null || days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
    }

    /** Monday to Friday, 9:00 to 17:00 in the zone. */
    public static BusinessHours weekdays(ZoneId zone) {
        return weekdays(LocalTime.of(9, 0), LocalTime.of(17, 0), zone);
    }

    /** Monday to Friday, {@code opens} to {@code closes}, in {@code zone}. */
    public static BusinessHours weekdays(LocalTime opens, LocalTime closes, ZoneId zone) {
        return new BusinessHours(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), opens, closes, zone);
    }

    /** What keeps these hours from being a window: no day, no zone, no times, or closing not after opening. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (days.isEmpty()) {
            problems.add("business hours need at least one day");
        }
        if (zone == null) {
            problems.add("business hours need a time zone");
        }
        if (opens == null || closes == null) {
            problems.add("business hours need an opening and a closing time");
        } else if (!opens.isBefore(closes)) {
            problems.add("business hours must open before they close, within one day");
        }
        return problems;
    }

    /** Whether {@code at} falls in a window. */
    public boolean isOpen(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        LocalTime time = local.toLocalTime();
        return days.contains(local.getDayOfWeek()) && !time.isBefore(opens) && time.isBefore(closes);
    }

    /** {@code at} when the window is open, else the start of the next window. */
    public Instant nextOpen(Instant at) {
        if (isOpen(at)) {
            return at;
        }
        ZonedDateTime local = at.atZone(zone);
        for (int d = 0; d <= 7; d++) {
            LocalDate date = local.toLocalDate().plusDays(d);
            if (days.contains(date.getDayOfWeek())) {
                Instant opening = ZonedDateTime.of(date, opens, zone).toInstant();
                if (opening.isAfter(at)) {
                    return opening;
                }
            }
        }
        throw new IllegalStateException("business hours without a day: " + this);
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
            Instant open = ZonedDateTime.of(day, opens, zone).toInstant();
            Instant close = ZonedDateTime.of(day, closes, zone).toInstant();
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
            Instant open = ZonedDateTime.of(day, opens, zone).toInstant();
            Instant close = ZonedDateTime.of(day, closes, zone).toInstant();
            Instant begin = from.isAfter(open) ? from : open;
            Instant finish = to.isBefore(close) ? to : close;
            if (finish.isAfter(begin)) {
                total = total.plus(Duration.between(begin, finish));
            }
        }
        return total;
    }
}
