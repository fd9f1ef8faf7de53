package dev.kindling.engine.program;

import static dev.kindling.engine.program.Journey.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.automation.Action.AdjustScore;
import dev.kindling.engine.automation.Action.SendEmail;
import dev.kindling.engine.program.Effect.StatusChanged;
import dev.kindling.engine.program.Enrollment.PauseReason;
import dev.kindling.engine.program.Enrollment.Status;
import dev.kindling.engine.program.Step.ActionStep;
import dev.kindling.engine.program.Step.EndStep;
import dev.kindling.engine.program.Step.Timing;
import dev.kindling.engine.program.Step.TriggerStep;
import dev.kindling.engine.program.Step.WaitStep;
import dev.kindling.engine.program.TriggerEvent.EmailOpened;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnrollmentPauseTest {

    static final long RECIPIENTS = 5;
    static final long OTHER_RECIPIENTS = 6;
    static final long SUPPRESSED = 9;

    static final ProgramDefinition WAIT_TEN_DAYS = ProgramDefinition.builder(1, "Wait", "wait")
            .recipients(RECIPIENTS, OTHER_RECIPIENTS)
            .suppressions(SUPPRESSED)
            .step(WaitStep.days("wait", 10, "mail"))
            .step(new ActionStep("mail", new SendEmail("t1"), "end"))
            .step(new EndStep("end"))
            .build();

    static final ProgramDefinition OPENED_WITHIN_FIVE_DAYS = ProgramDefinition.builder(1, "Trigger", "mail")
            .recipients(RECIPIENTS)
            .step(new ActionStep("mail", new SendEmail("t1"), "opened"))
            .step(new TriggerStep("opened", new EmailOpened(null), Timing.UP_TO, 5, "yes", "no"))
            .step(new ActionStep("yes", new AdjustScore(5), "end"))
            .step(new EndStep("no"))
            .step(new EndStep("end"))
            .build();

    static Instant day(double days) {
        return MONDAY.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    @Test
    void pausingTheProgramFreezesAWaitAndResumingShiftsItsDueTime() {
        var journey =
                Journey.of(WAIT_TEN_DAYS, RECIPIENTS).start().until(day(3)).pauseProgram();
        assertThat(journey.enrollment.status()).isEqualTo(Status.PAUSED);
        assertThat(journey.enrollment.dueAt()).isNull();
        assertThat(journey.enrollment.frozen()).isEqualTo(Duration.ofDays(7));

        journey.until(day(20)).advance(java.util.List.of());
        assertThat(journey.at()).as("nothing moves while paused").isEqualTo("wait");
        journey.resumeProgram();
        assertThat(journey.enrollment.dueAt()).isEqualTo(day(27));
        journey.until(day(27).minusSeconds(1));
        assertThat(journey.actions()).isEmpty();
        journey.until(day(27));
        assertThat(journey.actions()).containsExactly(new SendEmail("t1"));
        assertThat(journey.effects)
                .filteredOn(e -> e instanceof StatusChanged)
                .extracting(e -> ((StatusChanged) e).reason())
                .containsExactly("program paused", "program resumed", "reached end");
    }

    @Test
    void anUpToTriggerPausedMidWindowKeepsItsRemainingDaysAndCountsWhatHappenedMeanwhile() {
        var journey = Journey.of(OPENED_WITHIN_FIVE_DAYS, RECIPIENTS)
                .start()
                .until(day(2))
                .pauseProgram();
        journey.until(day(4)).did(ActivityType.EMAIL_OPEN, Map.of("templateId", "t1"));
        assertThat(journey.at())
                .as("a paused enrollment does not take the yes branch")
                .isEqualTo("opened");

        journey.until(day(6)).resumeProgram();
        assertThat(journey.enrollment.dueAt()).isEqualTo(day(9));
        journey.advance(java.util.List.of());
        assertThat(journey.executed()).containsExactly("mail", "opened", "yes", "end");
    }

    @Test
    void anUpToTriggerWindowIsLongerByThePause() {
        var journey = Journey.of(OPENED_WITHIN_FIVE_DAYS, RECIPIENTS)
                .start()
                .until(day(2))
                .pauseProgram();
        journey.until(day(6)).resumeProgram().until(day(8.5)).did(ActivityType.EMAIL_OPEN, Map.of("templateId", "t1"));
        assertThat(journey.executed())
                .as("day 8.5 is inside the 5 days the prospect was actually waiting")
                .containsExactly("mail", "opened", "yes", "end");
    }

    @Test
    void aWaitUntilADateKeepsItsDateThroughAPause() {
        var definition = ProgramDefinition.builder(1, "Date", "wait")
                .recipients(RECIPIENTS)
                .step(WaitStep.until("wait", day(10), "end"))
                .step(new EndStep("end"))
                .build();
        var journey = Journey.of(definition, RECIPIENTS).start().until(day(1)).pauseProgram();
        journey.until(day(3)).resumeProgram();
        assertThat(journey.enrollment.dueAt()).isEqualTo(day(10));

        var past = Journey.of(definition, RECIPIENTS).start().until(day(1)).pauseProgram();
        past.until(day(12)).resumeProgram();
        assertThat(past.enrollment.dueAt()).isEqualTo(day(12));
    }

    @Test
    void leavingTheRecipientListsPausesTheEnrollmentAndComingBackResumesWhereItWas() {
        var journey =
                Journey.of(WAIT_TEN_DAYS, RECIPIENTS, OTHER_RECIPIENTS).start().until(day(4));
        journey.leaveList(RECIPIENTS);
        assertThat(journey.enrollment.status())
                .as("still in another recipient list")
                .isEqualTo(Status.ACTIVE);
        journey.leaveList(OTHER_RECIPIENTS);
        assertThat(journey.enrollment.status()).isEqualTo(Status.PAUSED);
        assertThat(journey.enrollment.pausedBy()).containsExactly(PauseReason.NOT_A_RECIPIENT);
        assertThat(journey.enrollment.frozen()).isEqualTo(Duration.ofDays(6));

        journey.until(day(30)).joinList(RECIPIENTS);
        assertThat(journey.enrollment.status()).isEqualTo(Status.ACTIVE);
        assertThat(journey.at()).isEqualTo("wait");
        assertThat(journey.enrollment.dueAt()).isEqualTo(day(36));
        assertThat(journey.enrollment.visit("wait"))
                .as("resumed, not re-entered")
                .isEqualTo(1);
        journey.until(day(36));
        assertThat(journey.actions()).containsExactly(new SendEmail("t1"));
    }

    @Test
    void aSweepThatFindsTheProspectGonePausesItAndTheReturnCarriesOnAtOnce() {
        var journey = Journey.of(WAIT_TEN_DAYS, RECIPIENTS).start();
        journey.lists.clear();
        journey.until(day(10));
        assertThat(journey.enrollment.status()).isEqualTo(Status.PAUSED);
        assertThat(journey.actions()).isEmpty();

        journey.until(day(11)).joinList(RECIPIENTS);
        assertThat(journey.actions()).containsExactly(new SendEmail("t1"));
        assertThat(journey.enrollment.status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void joiningASuppressionListPausesLikeLeavingTheRecipients() {
        var journey =
                Journey.of(WAIT_TEN_DAYS, RECIPIENTS).start().until(day(1)).joinList(SUPPRESSED);
        assertThat(journey.enrollment.status()).isEqualTo(Status.PAUSED);
        journey.until(day(2));
        journey.lists.remove(SUPPRESSED);
        journey.advance(java.util.List.of());
        assertThat(journey.enrollment.dueAt()).isEqualTo(day(11));
    }

    @Test
    void anEnrollmentPausedForTwoReasonsResumesOnlyWhenBothAreGone() {
        var journey =
                Journey.of(WAIT_TEN_DAYS, RECIPIENTS).start().until(day(1)).pauseProgram();
        journey.until(day(2)).leaveList(RECIPIENTS);
        assertThat(journey.enrollment.pausedBy())
                .containsExactlyInAnyOrder(PauseReason.PROGRAM, PauseReason.NOT_A_RECIPIENT);

        journey.until(day(3)).resumeProgram();
        assertThat(journey.enrollment.status()).isEqualTo(Status.PAUSED);
        assertThat(journey.enrollment.pausedBy()).isEqualTo(Set.of(PauseReason.NOT_A_RECIPIENT));
        journey.until(day(4)).joinList(RECIPIENTS);
        assertThat(journey.enrollment.status()).isEqualTo(Status.ACTIVE);
        assertThat(journey.enrollment.dueAt())
                .as("9 days were left at the first pause")
                .isEqualTo(day(13));
    }

    @Test
    void pausingAFinishedEnrollmentChangesNothing() {
        var journey = Journey.of(WAIT_TEN_DAYS, RECIPIENTS).start().until(day(10));
        assertThat(journey.enrollment.status()).isEqualTo(Status.COMPLETED);
        var paused = Journey.RUNNER.pause(journey.enrollment, PauseReason.PROGRAM, day(11));
        assertThat(paused.enrollment()).isEqualTo(journey.enrollment);
        assertThat(paused.effects()).isEmpty();
    }
}
