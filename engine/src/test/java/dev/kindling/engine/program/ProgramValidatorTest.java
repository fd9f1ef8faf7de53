package dev.kindling.engine.program;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.automation.Action.AdjustScore;
import dev.kindling.engine.automation.Action.SendEmail;
import dev.kindling.engine.condition.Condition.ScoreCondition;
import dev.kindling.engine.condition.Operator;
import dev.kindling.engine.program.Step.ActionStep;
import dev.kindling.engine.program.Step.EndStep;
import dev.kindling.engine.program.Step.RuleStep;
import dev.kindling.engine.program.Step.Timing;
import dev.kindling.engine.program.Step.TriggerStep;
import dev.kindling.engine.program.Step.WaitStep;
import dev.kindling.engine.program.TriggerEvent.EmailClicked;
import dev.kindling.engine.program.TriggerEvent.EmailOpened;
import dev.kindling.engine.program.TriggerEvent.PageViewed;
import dev.kindling.engine.time.BusinessHours;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProgramValidatorTest {

    static final ScoreCondition HOT = new ScoreCondition(Operator.GTE, List.of(50L));

    static ProgramDefinition.Builder program(String start) {
        return ProgramDefinition.builder(1, "Nurture", start).recipients(5L);
    }

    static List<ProgramError> errors(ProgramDefinition.Builder builder) {
        return ProgramValidator.validate(builder.build());
    }

    @Test
    void aSmallCompleteProgramIsValid() {
        assertThat(errors(program("mail")
                        .step(new ActionStep("mail", new SendEmail("t1"), "opened"))
                        .step(new TriggerStep("opened", new EmailOpened(null), Timing.UP_TO, 3, "end", "later"))
                        .step(WaitStep.days("later", 7, "mail"))
                        .step(new EndStep("end"))))
                .isEmpty();
    }

    @Test
    void aLoopWithoutAWaitIsRefusedNamingItsSteps() {
        assertThat(errors(program("a")
                        .step(new ActionStep("a", new SendEmail("t1"), "rule"))
                        .step(new RuleStep("rule", HOT, "end", "a"))
                        .step(new EndStep("end"))))
                .containsExactly(new ProgramError(
                        "a",
                        "loops back without a WAIT through steps a, rule: put a WAIT of at least 1 day in the loop"));
    }

    @Test
    void aLoopThroughATriggerOrADateWaitStillNeedsAWaitOfDays() {
        assertThat(errors(program("t")
                        .step(new TriggerStep("t", new EmailOpened(null), Timing.UP_TO, 3, "end", "date"))
                        .step(WaitStep.until("date", Instant.parse("2026-05-01T00:00:00Z"), "t"))
                        .step(new EndStep("end"))))
                .extracting(ProgramError::message)
                .singleElement()
                .asString()
                .startsWith("loops back without a WAIT");
    }

    @Test
    void aStepThatGoesToItselfIsALoop() {
        assertThat(errors(program("rule")
                        .step(new RuleStep("rule", HOT, "end", "rule"))
                        .step(new EndStep("end"))))
                .extracting(ProgramError::stepId)
                .containsExactly("rule");
    }

    @Test
    void branchesThatLeadNowhereOrToMissingStepsAreRefused() {
        assertThat(errors(program("rule")
                        .step(new RuleStep("rule", HOT, "mail", null))
                        .step(new ActionStep("mail", new SendEmail("t1"), "gone"))
                        .step(new EndStep("end"))))
                .containsExactlyInAnyOrder(
                        new ProgramError(
                                "rule", "the no branch leads nowhere: choose the step that follows (an END to stop)"),
                        new ProgramError("mail", "the next branch goes to step 'gone', which does not exist"),
                        new ProgramError("end", "no path from the first step leads here (unreachable)"));
    }

    @Test
    void unreachableStepsAreRefused() {
        assertThat(errors(program("end")
                        .step(new EndStep("end"))
                        .step(new ActionStep("orphan", new AdjustScore(1), "end"))))
                .containsExactly(new ProgramError("orphan", "no path from the first step leads here (unreachable)"));
    }

    @Test
    void aLoopWithAWaitButNoWayOutNeverEnds() {
        assertThat(errors(program("mail")
                        .step(new ActionStep("mail", new SendEmail("t1"), "wait"))
                        .step(WaitStep.days("wait", 7, "mail"))
                        .step(new EndStep("end"))))
                .extracting(ProgramError::toString)
                .contains(
                        "step mail: never reaches an END: every path from here loops forever",
                        "step wait: never reaches an END: every path from here loops forever",
                        "step end: no path from the first step leads here (unreachable)");
    }

    @Test
    void triggerAndWaitTimesArePositive() {
        assertThat(errors(program("t")
                        .step(new TriggerStep("t", new EmailOpened(null), Timing.UP_TO, 0, "w", "w"))
                        .step(new WaitStep("w", -2, null, "both"))
                        .step(new WaitStep("both", 2, Instant.parse("2026-05-01T00:00:00Z"), "end"))
                        .step(new EndStep("end"))))
                .containsExactly(
                        new ProgramError("t", "waits 0 days: a trigger waits at least 1 day"),
                        new ProgramError("w", "waits -2 days: a wait waits at least 1 day"),
                        new ProgramError("both", "a wait is either a number of days or a date"));
    }

    @Test
    void triggerSettingsAreChecked() {
        assertThat(errors(program("t")
                        .step(new TriggerStep("t", new PageViewed("https://x.test/(a|b)"), null, 3, "c", "c"))
                        .step(new TriggerStep("c", new EmailClicked(" ", null), Timing.EXACTLY, 3, "n", "n"))
                        .step(new TriggerStep("n", null, Timing.EXACTLY, 3, "end", "end"))
                        .step(new EndStep("end"))))
                .extracting(ProgramError::toString)
                .containsExactly(
                        "step t: the page URL is not a regular expression: use * as the only wildcard (found '(')",
                        "step t: choose 'up to N days' or 'N days'",
                        "step c: the email is left out for any, or named in 1 to 500 characters",
                        "step n: choose what the trigger waits for");
    }

    @Test
    void anActionStepNeedsAnActionWhoseSettingsTheAppsActionCodecChecks() {
        // what an action says is checked where it is read, by the one action codec of rules, forms and programs
        assertThat(errors(program("a1")
                        .step(new ActionStep("a1", null, "a2"))
                        .step(new ActionStep("a2", new AdjustScore(0), "end"))
                        .step(new EndStep("end"))))
                .extracting(ProgramError::toString)
                .containsExactly("step a1: choose an action");
    }

    @Test
    void programSettingsAreChecked() {
        var hours = new BusinessHours(Set.of(), LocalTime.of(18, 0), LocalTime.of(9, 0), ZoneOffset.UTC);
        assertThat(ProgramValidator.validate(ProgramDefinition.builder(1, " ", "nope")
                        .recipients(5L, 6L)
                        .suppressions(6L)
                        .businessHours(hours)
                        .step(new ActionStep("bad id!", new AdjustScore(1), "x"))
                        .step(new EndStep("x"))
                        .step(new EndStep("x"))
                        .build()))
                .extracting(ProgramError::toString)
                .containsExactly(
                        "the program needs a name",
                        "the first step 'nope' does not exist",
                        "list 6 is both a recipient and a suppression list",
                        "business hours need at least one day",
                        "business hours must open before they close, within one day",
                        "step bad id!: a step id is 1 to 64 letters, digits, '-' or '_'",
                        "step x: two steps have this id");
    }

    @Test
    void aProgramWithoutStepsOrEndIsRefused() {
        assertThat(ProgramValidator.validate(
                        ProgramDefinition.builder(1, "Empty", "a").build()))
                .extracting(ProgramError::message)
                .contains("the program has no steps");
        assertThat(errors(program("a").step(WaitStep.days("a", 1, "a"))))
                .extracting(ProgramError::message)
                .contains("the program has no END step");
    }

    @Test
    void emailPlaceholdersMayBeSavedButNotStarted() {
        var definition = program("mail")
                .businessHours(new BusinessHours(
                        Set.of(DayOfWeek.MONDAY), LocalTime.of(9, 0), LocalTime.of(17, 0), ZoneOffset.UTC))
                .step(new ActionStep("mail", SendEmail.placeholder("welcome"), "end"))
                .step(new EndStep("end"))
                .build();
        assertThat(ProgramValidator.validate(definition)).isEmpty();
        assertThat(ProgramValidator.readyToStart(definition))
                .containsExactly(new ProgramError("mail", "choose the email for 'welcome'"));
        assertThat(ProgramValidator.readyToStart(definition.withEmails(java.util.Map.of("welcome", "tpl-9"))))
                .isEmpty();
    }
}
