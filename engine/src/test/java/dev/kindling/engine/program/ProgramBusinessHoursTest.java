package dev.kindling.engine.program;

import static dev.kindling.engine.program.Journey.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.automation.Action.AdjustScore;
import dev.kindling.engine.automation.Action.SendEmail;
import dev.kindling.engine.program.Enrollment.Status;
import dev.kindling.engine.program.Step.ActionStep;
import dev.kindling.engine.program.Step.EndStep;
import dev.kindling.engine.time.BusinessHours;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ProgramBusinessHoursTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final BusinessHours WEEKDAYS = BusinessHours.weekdays(PARIS);

    static final ProgramDefinition SEND = ProgramDefinition.builder(1, "Hours", "score")
            .recipients(5L)
            .businessHours(WEEKDAYS)
            .step(new ActionStep("score", new AdjustScore(3), "mail"))
            .step(new ActionStep("mail", new SendEmail("t1"), "end"))
            .step(new EndStep("end"))
            .build();

    @Test
    void theWindowOpensAtItsOpeningAndClosesBeforeItsClosingInItsZone() {
        assertThat(WEEKDAYS.isOpen(Instant.parse("2026-03-02T08:00:00Z")))
                .as("9:00 in Paris")
                .isTrue();
        assertThat(WEEKDAYS.isOpen(Instant.parse("2026-03-02T07:59:59Z"))).isFalse();
        assertThat(WEEKDAYS.isOpen(Instant.parse("2026-03-02T15:59:59Z"))).isTrue();
        assertThat(WEEKDAYS.isOpen(Instant.parse("2026-03-02T16:00:00Z")))
                .as("17:00 in Paris")
                .isFalse();
        assertThat(WEEKDAYS.isOpen(Instant.parse("2026-03-07T10:00:00Z")))
                .as("Saturday")
                .isFalse();
    }

    @Test
    void theNextWindowIsLaterTodayTomorrowOrAfterTheWeekend() {
        assertThat(WEEKDAYS.nextOpen(Instant.parse("2026-03-02T05:00:00Z"))).isEqualTo("2026-03-02T08:00:00Z");
        assertThat(WEEKDAYS.nextOpen(Instant.parse("2026-03-03T17:00:00Z"))).isEqualTo("2026-03-04T08:00:00Z");
        assertThat(WEEKDAYS.nextOpen(Instant.parse("2026-03-06T16:30:00Z"))).isEqualTo("2026-03-09T08:00:00Z");
        assertThat(WEEKDAYS.nextOpen(Instant.parse("2026-03-04T12:00:00Z")))
                .as("open now")
                .isEqualTo("2026-03-04T12:00:00Z");
    }

    @Test
    void theWindowFollowsDaylightSavingTime() {
        assertThat(WEEKDAYS.nextOpen(Instant.parse("2026-03-28T12:00:00Z")))
                .as("Monday after the change to summer time")
                .isEqualTo("2026-03-30T07:00:00Z");
    }

    @Test
    void aSendOutsideBusinessHoursWaitsForTheNextWindowWhileOtherActionsRunAtOnce() {
        Instant saturday = Instant.parse("2026-03-07T10:00:00Z");
        var journey = new Journey(SEND, saturday, 5L).start();

        assertThat(journey.actions()).containsExactly(new AdjustScore(3));
        assertThat(journey.at()).isEqualTo("mail");
        assertThat(journey.enrollment.dueAt()).isEqualTo("2026-03-09T08:00:00Z");
        journey.until(Instant.parse("2026-03-09T08:00:00Z"));
        assertThat(journey.actions()).containsExactly(new AdjustScore(3), new SendEmail("t1"));
        assertThat(journey.enrollment.status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void aSweepThatComesAfterTheWindowClosedWaitsForTheNextOne() {
        var journey = new Journey(SEND, Instant.parse("2026-03-02T06:00:00Z"), 5L).start();
        journey.lateSweepAt(Instant.parse("2026-03-02T17:00:00Z"));
        assertThat(journey.actions()).containsExactly(new AdjustScore(3));
        assertThat(journey.enrollment.dueAt()).isEqualTo("2026-03-03T08:00:00Z");
        assertThat(journey.enrollment.visit("mail")).isEqualTo(1);
    }

    @Test
    void aSendInsideTheWindowGoesAtOnce() {
        var journey = new Journey(SEND, MONDAY, 5L).start();
        assertThat(journey.actions()).containsExactly(new AdjustScore(3), new SendEmail("t1"));
    }

    @Test
    void aSkippedSendDoesNotWaitForBusinessHours() {
        var journey = new Journey(SEND, Instant.parse("2026-03-07T10:00:00Z"), 5L);
        journey.fields.put("optedOut", true);
        journey.start();
        assertThat(journey.enrollment.status()).isEqualTo(Status.COMPLETED);
        assertThat(journey.skipped()).hasSize(1);
    }
}
