package dev.kindling.engine.program;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * When a program may send email: on {@code days}, from {@code opens} (inclusive) to {@code closes} (exclusive),
 * wall-clock time in {@code zone}. A send that falls outside waits for the next window; other actions never wait.
 * A window must not cross midnight ({@code opens} before {@code closes}; {@link ProgramValidator} checks).
 */
public record BusinessHours(Set<DayOfWeek> days, LocalTime opens, LocalTime closes, ZoneId zone) {

    public BusinessHours {
        days = days == null ? Set.of() : Set.copyOf(days);
    }

    /** Monday to Friday, 9:00 to 17:00 in the zone. */
    public static BusinessHours weekdays(ZoneId zone) {
        return new BusinessHours(Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 0), zone);
    }

    public boolean isOpen(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        LocalTime time = local.toLocalTime();
        return days.contains(local.getDayOfWeek()) && !time.isBefore(opens) && time.isBefore(closes);
    }

    /**
     * {@code at} when the window is open, else the start of the next window. Daylight-saving gaps move an opening
     * that does not exist that day later by the gap, as {@link ZonedDateTime#of} does.
     */
    public Instant nextOpen(Instant at) {
        if (isOpen(at)) {
            return at;
        }
        ZonedDateTime local = at.atZone(zone);
        for (int d = 0; d <= 7; d++) {
            var date = local.toLocalDate().plusDays(d);
            if (days.contains(date.getDayOfWeek())) {
                Instant opening = ZonedDateTime.of(date, opens, zone).toInstant();
                if (opening.isAfter(at)) {
                    return opening;
                }
            }
        }
        throw new IllegalStateException("business hours without a day: " + this);
    }
}
