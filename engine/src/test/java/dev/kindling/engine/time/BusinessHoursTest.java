package dev.kindling.engine.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BusinessHoursTest {

    static final BusinessHours TOKYO =
            BusinessHours.weekdays(LocalTime.of(9, 0), LocalTime.of(18, 0), ZoneId.of("Asia/Tokyo"));

    @Test
    void oneWindowAnswersBothWhenASendMayGoAndWhenAnSlaIsDue() {
        Instant fridayEvening = Instant.parse("2026-03-06T10:00:00Z"); // 19:00 in Tokyo
        Instant mondayMorning = Instant.parse("2026-03-09T00:00:00Z"); // 09:00 in Tokyo

        assertThat(TOKYO.isOpen(fridayEvening)).isFalse();
        assertThat(TOKYO.nextOpen(fridayEvening)).isEqualTo(mondayMorning);
        assertThat(TOKYO.plus(fridayEvening, Duration.ofHours(4))).isEqualTo(mondayMorning.plus(Duration.ofHours(4)));
        assertThat(TOKYO.between(fridayEvening, mondayMorning.plus(Duration.ofHours(2))))
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void hoursWithoutADayOrClosingBeforeTheyOpenNameEveryProblem() {
        assertThat(new BusinessHours(Set.of(), LocalTime.of(18, 0), LocalTime.of(9, 0), null).problems())
                .containsExactly(
                        "business hours need at least one day",
                        "business hours need a time zone",
                        "business hours must open before they close, within one day");
        assertThat(new BusinessHours(Set.of(DayOfWeek.MONDAY), LocalTime.of(9, 0), null, ZoneId.of("UTC")).problems())
                .containsExactly("business hours need an opening and a closing time");
        assertThat(TOKYO.problems()).isEmpty();
    }
}
