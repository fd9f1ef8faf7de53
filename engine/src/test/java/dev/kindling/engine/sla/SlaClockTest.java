package dev.kindling.engine.sla;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.time.BusinessHours;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlaClockTest {

    static final Instant ASSIGNED = Instant.parse("2030-03-04T10:00:00Z"); // a Monday
    static final SlaPolicy DAY = SlaPolicy.DEFAULT;

    @Test
    void aFreshLeadIsOnTrackAndNextChecksWhenItBecomesAtRisk() {
        SlaClock.Status s = SlaClock.evaluate(DAY, ASSIGNED, null, ASSIGNED.plus(Duration.ofHours(1)));
        assertThat(s.state()).isEqualTo(SlaState.ON_TRACK);
        assertThat(s.dueAt()).isEqualTo(ASSIGNED.plus(Duration.ofHours(24)));
        assertThat(s.atRiskAt()).isEqualTo(ASSIGNED.plus(Duration.ofHours(18)));
        assertThat(s.nextCheckAt()).isEqualTo(s.atRiskAt());
        assertThat(s.percentUsed()).isEqualTo(4);
    }

    @Test
    void seventyFivePercentOfTheWindowUsedIsAtRiskUntilTheDueInstantItself() {
        assertThat(SlaClock.evaluate(DAY, ASSIGNED, null, ASSIGNED.plus(Duration.ofHours(18)))
                        .state())
                .isEqualTo(SlaState.AT_RISK);
        SlaClock.Status atDue = SlaClock.evaluate(DAY, ASSIGNED, null, ASSIGNED.plus(Duration.ofHours(24)));
        assertThat(atDue.state()).isEqualTo(SlaState.AT_RISK);
        assertThat(atDue.nextCheckAt()).isAfter(atDue.dueAt());
        assertThat(SlaClock.evaluate(
                                DAY,
                                ASSIGNED,
                                null,
                                ASSIGNED.plus(Duration.ofHours(17).plusMinutes(59)))
                        .state())
                .isEqualTo(SlaState.ON_TRACK);
    }

    @Test
    void aHandoffKeepsTheWindowItWasGivenWhateverThePolicyBecomes() {
        SlaClock.Window given = DAY.window(ASSIGNED);
        SlaPolicy shorter = new SlaPolicy(Duration.ofHours(4), 3, 75, null);
        Instant fiveHoursIn = ASSIGNED.plus(Duration.ofHours(5));
        assertThat(SlaClock.evaluate(shorter, ASSIGNED, null, fiveHoursIn).state())
                .isEqualTo(SlaState.BREACHED);
        SlaClock.Status kept = SlaClock.evaluate(given, null, fiveHoursIn);
        assertThat(kept.state()).isEqualTo(SlaState.ON_TRACK);
        assertThat(kept.dueAt()).isEqualTo(ASSIGNED.plus(Duration.ofHours(24)));
        assertThat(kept.nextCheckAt()).isEqualTo(ASSIGNED.plus(Duration.ofHours(18)));
        assertThat(kept.percentUsed()).isEqualTo(20);
        assertThat(SlaClock.evaluate(given, null, ASSIGNED.plus(Duration.ofHours(18)))
                        .state())
                .isEqualTo(SlaState.AT_RISK);
        assertThat(SlaClock.evaluate(given, null, ASSIGNED.plus(Duration.ofHours(25)))
                        .state())
                .isEqualTo(SlaState.BREACHED);
        assertThat(SlaClock.evaluate(given, ASSIGNED.plus(Duration.ofHours(2)), fiveHoursIn)
                        .state())
                .isEqualTo(SlaState.MET);
    }

    @Test
    void noContactPastTheWindowIsBreachedAndFinal() {
        SlaClock.Status s = SlaClock.evaluate(
                DAY, ASSIGNED, null, ASSIGNED.plus(Duration.ofHours(24)).plusSeconds(1));
        assertThat(s.state()).isEqualTo(SlaState.BREACHED);
        assertThat(s.state().isFinal()).isTrue();
        assertThat(s.nextCheckAt()).isNull();
        assertThat(s.percentUsed()).isEqualTo(100);
    }

    @Test
    void aContactWithinTheWindowIsMetAndALateOneStaysBreached() {
        Instant now = ASSIGNED.plus(Duration.ofDays(3));
        assertThat(SlaClock.evaluate(DAY, ASSIGNED, ASSIGNED.plus(Duration.ofHours(23)), now)
                        .state())
                .isEqualTo(SlaState.MET);
        assertThat(SlaClock.evaluate(DAY, ASSIGNED, ASSIGNED.plus(Duration.ofHours(24)), now)
                        .state())
                .isEqualTo(SlaState.MET);
        assertThat(SlaClock.evaluate(DAY, ASSIGNED, ASSIGNED.plus(Duration.ofHours(25)), now)
                        .state())
                .isEqualTo(SlaState.BREACHED);
    }

    @Test
    void aContactRecordedAfterTheInstantAskedAboutDoesNotCountYet() {
        SlaClock.Status s = SlaClock.evaluate(
                DAY, ASSIGNED, ASSIGNED.plus(Duration.ofHours(5)), ASSIGNED.plus(Duration.ofHours(2)));
        assertThat(s.state()).isEqualTo(SlaState.ON_TRACK);
    }

    @Test
    void withBusinessHoursAFridayEveningLeadIsDueOnTuesdayMorning() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        SlaPolicy policy = new SlaPolicy(
                Duration.ofHours(9), 3, 75, BusinessHours.weekdays(LocalTime.of(9, 0), LocalTime.of(18, 0), tokyo));
        // Friday 2030-03-08 17:00 JST: one working hour left on Friday, eight more on Monday
        Instant friday = Instant.parse("2030-03-08T08:00:00Z");
        SlaClock.Status s = SlaClock.evaluate(policy, friday, null, friday.plus(Duration.ofHours(40)));
        assertThat(s.dueAt()).isEqualTo(Instant.parse("2030-03-11T08:00:00Z")); // Monday 17:00 JST
        assertThat(s.state()).isEqualTo(SlaState.ON_TRACK); // Sunday: no working time used since Friday 18:00
        assertThat(s.percentUsed()).isEqualTo(11);
        assertThat(SlaClock.evaluate(policy, friday, null, Instant.parse("2030-03-11T07:00:00Z"))
                        .state())
                .isEqualTo(SlaState.AT_RISK);
    }

    @Test
    void aLeadAssignedAtNightStartsItsWindowWhenTheOfficeOpens() {
        BusinessHours hours = BusinessHours.weekdays(LocalTime.of(9, 0), LocalTime.of(17, 0), ZoneId.of("UTC"));
        Instant night = Instant.parse("2030-03-05T22:00:00Z"); // Tuesday
        assertThat(hours.plus(night, Duration.ofHours(2))).isEqualTo(Instant.parse("2030-03-06T11:00:00Z"));
        assertThat(hours.plus(night, Duration.ZERO)).isEqualTo(Instant.parse("2030-03-06T09:00:00Z"));
        assertThat(hours.between(night, Instant.parse("2030-03-06T11:30:00Z"))).isEqualTo(Duration.ofMinutes(150));
    }

    @Test
    void workingTimeAddedThenMeasuredGivesItBackForManyStartsAndLengths() {
        Random random = new Random(20300304L);
        BusinessHours hours =
                BusinessHours.weekdays(LocalTime.of(9, 0), LocalTime.of(18, 0), ZoneId.of("Europe/Berlin"));
        for (int i = 0; i < 2_000; i++) {
            Instant start = ASSIGNED.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 400)));
            Duration work = Duration.ofMinutes(random.nextInt(60 * 60));
            Instant end = hours.plus(start, work);
            assertThat(hours.between(start, end))
                    .as("case %d: %s + %s", i, start, work)
                    .isEqualTo(work);
        }
    }

    @Test
    void aNoResponseRecycleNeedsTheMinimumAttemptsOtherReasonsDoNot() {
        assertThat(RejectReason.NO_RESPONSE.isAllowed(DAY, 2, false)).isFalse();
        assertThat(RejectReason.NO_RESPONSE.isAllowed(DAY, 3, false)).isTrue();
        assertThat(RejectReason.NOT_READY.isAllowed(DAY, 1, false)).isFalse();
        assertThat(RejectReason.NOT_READY.isAllowed(DAY, 1, true)).isTrue();
        assertThat(RejectReason.NO_BUDGET.isAllowed(DAY, 0, false)).isTrue();
    }
}
