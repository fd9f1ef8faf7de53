package dev.kindling.engine.program;

import static dev.kindling.engine.program.Journey.MONDAY;
import static dev.kindling.engine.program.Journey.RUNNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.automation.Action;
import dev.kindling.engine.automation.Action.AddToList;
import dev.kindling.engine.automation.Action.AdjustScore;
import dev.kindling.engine.automation.Action.Assign;
import dev.kindling.engine.automation.Action.AssignTo;
import dev.kindling.engine.automation.Action.CallWebhook;
import dev.kindling.engine.automation.Action.ChangeStage;
import dev.kindling.engine.automation.Action.NotifyUser;
import dev.kindling.engine.automation.Action.RemoveFromList;
import dev.kindling.engine.automation.Action.SendEmail;
import dev.kindling.engine.automation.Action.SetField;
import dev.kindling.engine.condition.Condition.ScoreCondition;
import dev.kindling.engine.condition.Operator;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.program.Effect.ActionEmitted;
import dev.kindling.engine.program.Effect.Passed;
import dev.kindling.engine.program.Effect.SkipReason;
import dev.kindling.engine.program.Effect.StatusChanged;
import dev.kindling.engine.program.Effect.StepEntered;
import dev.kindling.engine.program.Effect.StepExecuted;
import dev.kindling.engine.program.Enrollment.Status;
import dev.kindling.engine.program.ProgramRunner.EntryDecision;
import dev.kindling.engine.program.Step.ActionStep;
import dev.kindling.engine.program.Step.EndStep;
import dev.kindling.engine.program.Step.RuleStep;
import dev.kindling.engine.program.Step.Timing;
import dev.kindling.engine.program.Step.TriggerStep;
import dev.kindling.engine.program.Step.WaitStep;
import dev.kindling.engine.program.TriggerEvent.EmailClicked;
import dev.kindling.engine.program.TriggerEvent.EmailOpened;
import dev.kindling.engine.program.TriggerEvent.FormSubmitted;
import dev.kindling.engine.program.TriggerEvent.PageViewed;
import dev.kindling.engine.program.TriggerEvent.WebinarAttended;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgramRunnerTest {

    static final long RECIPIENTS = 5;

    static ProgramDefinition.Builder program(String start) {
        return ProgramDefinition.builder(1, "Test", start).recipients(RECIPIENTS);
    }

    static ProgramDefinition trigger(TriggerEvent event, Timing timing, int days) {
        return program("mail")
                .step(new ActionStep("mail", new SendEmail("t1"), "t"))
                .step(new TriggerStep("t", event, timing, days, "yes", "no"))
                .step(new ActionStep("yes", new AdjustScore(10), "end"))
                .step(new ActionStep("no", new AdjustScore(-1), "end"))
                .step(new EndStep("end"))
                .build();
    }

    static Map<String, String> email(String template) {
        return Map.of("templateId", template);
    }

    @Test
    void actionAndRuleStepsRunAtOnceAndChainUntilAWait() {
        var definition = program("a")
                .step(new ActionStep("a", new AdjustScore(5), "b"))
                .step(new ActionStep("b", new AddToList(9), "rule"))
                .step(new RuleStep("rule", new ScoreCondition(Operator.GTE, List.of(50L)), "c", "wait"))
                .step(new ActionStep("c", new RemoveFromList(9), "wait"))
                .step(WaitStep.days("wait", 3, "end"))
                .step(new EndStep("end"))
                .build();
        var journey = Journey.of(definition, RECIPIENTS).start();

        assertThat(journey.executed()).containsExactly("a", "b", "rule");
        assertThat(journey.actions()).containsExactly(new AdjustScore(5), new AddToList(9));
        assertThat(journey.executions().get(2).passed()).isEqualTo(Passed.NO);
        assertThat(journey.at()).isEqualTo("wait");
        assertThat(journey.enrollment.dueAt()).isEqualTo(MONDAY.plus(Duration.ofDays(3)));
        assertThat(journey.enrollment.status()).isEqualTo(Status.ACTIVE);
    }

    @Test
    void everyActionKindIsEmittedAsItIs() {
        List<Action> all = List.of(
                new SendEmail("t1"),
                new AdjustScore(-3),
                new AddToList(1),
                new RemoveFromList(2),
                new SetField("custom.tier", "gold"),
                new ChangeStage(LifecycleStage.MQL),
                new Assign(AssignTo.TEAM, 4L, false),
                new NotifyUser(null, null, "hello"),
                new CallWebhook("https://hooks.test/x"));
        var builder = program("s0");
        for (int i = 0; i < all.size(); i++) {
            builder.step(new ActionStep("s" + i, all.get(i), i + 1 < all.size() ? "s" + (i + 1) : "end"));
        }
        var journey =
                Journey.of(builder.step(new EndStep("end")).build(), RECIPIENTS).start();

        assertThat(journey.actions()).containsExactlyElementsOf(all);
        assertThat(journey.enrollment.status()).isEqualTo(Status.COMPLETED);
        assertThat(journey.effects.getLast())
                .isEqualTo(new StatusChanged(Status.ACTIVE, Status.COMPLETED, "reached end", MONDAY));
    }

    @Test
    void theActionAndItsExecutionShareTheStepsIdempotencyKey() {
        var journey = Journey.of(trigger(new EmailOpened(null), Timing.UP_TO, 3), RECIPIENTS)
                .start(31);

        var emitted = (ActionEmitted) journey.effects.stream()
                .filter(e -> e instanceof ActionEmitted)
                .findFirst()
                .orElseThrow();
        assertThat(emitted.key()).isEqualTo("31:1:mail:1");
        assertThat(journey.executions()).extracting(StepExecuted::key).containsExactly("31:1:mail:1");
        assertThat(journey.effects).contains(new StepEntered("mail", 1, MONDAY), new StepEntered("t", 1, MONDAY));
    }

    @Test
    void aWaitMovesOnWhenDueAndNotASecondBefore() {
        var definition = program("wait")
                .step(WaitStep.days("wait", 2, "end"))
                .step(new EndStep("end"))
                .build();
        var journey = Journey.of(definition, RECIPIENTS).start();

        journey.lateSweepAt(MONDAY.plus(Duration.ofDays(2)).minusSeconds(1)).advance(List.of());
        assertThat(journey.at()).isEqualTo("wait");
        journey.lateSweepAt(MONDAY.plus(Duration.ofDays(2)));
        assertThat(journey.enrollment.status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void aWaitUntilADateIsDueAtTheDateAndPassesAtOnceWhenTheDateIsPast() {
        Instant webinar = MONDAY.plus(Duration.ofDays(10));
        var definition = program("wait")
                .step(WaitStep.until("wait", webinar, "end"))
                .step(new EndStep("end"))
                .build();
        var journey = Journey.of(definition, RECIPIENTS).start();
        assertThat(journey.enrollment.dueAt()).isEqualTo(webinar);

        var late = new Journey(definition, webinar.plusSeconds(1), RECIPIENTS).start();
        assertThat(late.enrollment.status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void anUpToTriggerMovesOnAsSoonAsTheActivityHappens() {
        var journey = Journey.of(trigger(new EmailOpened(null), Timing.UP_TO, 5), RECIPIENTS)
                .start();
        journey.after(Duration.ofDays(1)).did(ActivityType.EMAIL_OPEN, email("t1"));

        assertThat(journey.executed()).containsExactly("mail", "t", "yes", "end");
        assertThat(journey.executions().get(1).passed()).isEqualTo(Passed.YES);
        assertThat(journey.executions().get(1).at()).isEqualTo(MONDAY.plus(Duration.ofDays(1)));
    }

    @Test
    void anUpToTriggerTakesTheNoBranchAfterNDaysWithoutTheActivity() {
        var journey = Journey.of(trigger(new EmailOpened(null), Timing.UP_TO, 5), RECIPIENTS)
                .start();
        assertThat(journey.enrollment.dueAt()).isEqualTo(MONDAY.plus(Duration.ofDays(5)));

        journey.after(Duration.ofDays(5).minusSeconds(1));
        assertThat(journey.at()).isEqualTo("t");
        journey.after(Duration.ofSeconds(1));
        assertThat(journey.executed()).containsExactly("mail", "t", "no", "end");
    }

    @Test
    void anNDaysTriggerWaitsTheFullTimeEvenWhenTheActivityHappenedEarly() {
        var journey = Journey.of(trigger(new EmailOpened(null), Timing.EXACTLY, 5), RECIPIENTS)
                .start();
        journey.after(Duration.ofDays(1)).did(ActivityType.EMAIL_OPEN, email("t1"));
        assertThat(journey.at()).as("still waiting after the open").isEqualTo("t");

        journey.after(Duration.ofDays(4));
        assertThat(journey.executed()).containsExactly("mail", "t", "yes", "end");
        assertThat(journey.executions().get(1).at()).isEqualTo(MONDAY.plus(Duration.ofDays(5)));
    }

    @Test
    void anNDaysTriggerTakesTheNoBranchWhenNothingHappened() {
        var journey = Journey.of(trigger(new EmailOpened(null), Timing.EXACTLY, 5), RECIPIENTS)
                .start();
        journey.after(Duration.ofDays(5));
        assertThat(journey.executed()).containsExactly("mail", "t", "no", "end");
    }

    @Test
    void anNDaysTriggerSeesActivitiesStoredButNeverFedToIt() {
        var journey = Journey.of(trigger(new EmailOpened(null), Timing.EXACTLY, 5), RECIPIENTS)
                .start();
        journey.happenedQuietly(ActivityType.EMAIL_OPEN, MONDAY.plus(Duration.ofDays(2)), email("t1"));
        journey.after(Duration.ofDays(5));
        assertThat(journey.executed()).contains("yes");
    }

    @Test
    void aLateSweepDoesNotCountActivitiesAfterTheWindowClosed() {
        var journey = Journey.of(trigger(new EmailOpened(null), Timing.EXACTLY, 3), RECIPIENTS)
                .start();
        journey.happenedQuietly(ActivityType.EMAIL_OPEN, MONDAY.plus(Duration.ofDays(4)), email("t1"));
        journey.lateSweepAt(MONDAY.plus(Duration.ofDays(5)));
        assertThat(journey.executed()).containsExactly("mail", "t", "no", "end");
    }

    @Test
    void triggersIgnoreBotsOtherEmailsAndWhatHappenedBeforeTheStep() {
        var journey = new Journey(trigger(new EmailOpened(null), Timing.UP_TO, 3), MONDAY, RECIPIENTS);
        journey.happenedQuietly(ActivityType.EMAIL_OPEN, MONDAY.minusSeconds(60), email("t1"));
        journey.start();
        journey.after(Duration.ofHours(1)).did(ActivityType.EMAIL_OPEN, email("t1"), true);
        journey.after(Duration.ofHours(1)).did(ActivityType.EMAIL_OPEN, email("other"));
        journey.after(Duration.ofHours(1)).did(ActivityType.EMAIL_CLICK, email("t1"));
        assertThat(journey.at()).isEqualTo("t");

        journey.after(Duration.ofHours(1)).did(ActivityType.EMAIL_OPEN, Map.of("emailId", "t1"));
        assertThat(journey.executed()).contains("yes");
    }

    @Test
    void anEmailTriggerWithoutATemplateFollowsTheLastEmailSent() {
        var definition = program("first")
                .step(new ActionStep("first", new SendEmail("t1"), "second"))
                .step(new ActionStep("second", new SendEmail("t2"), "t"))
                .step(new TriggerStep("t", new EmailClicked(null, null), Timing.UP_TO, 3, "yes", "no"))
                .step(new EndStep("yes"))
                .step(new EndStep("no"))
                .build();
        var journey = Journey.of(definition, RECIPIENTS).start();
        journey.after(Duration.ofHours(1)).did(ActivityType.EMAIL_CLICK, email("t1"));
        assertThat(journey.at()).isEqualTo("t");
        journey.after(Duration.ofHours(1)).did(ActivityType.EMAIL_CLICK, email("t2"));
        assertThat(journey.at()).isEqualTo("yes");
    }

    @Test
    void aClickTriggerWithALinkCountsOnlyClicksOnThatLink() {
        var journey = Journey.of(trigger(new EmailClicked("t1", "*/pricing*"), Timing.UP_TO, 3), RECIPIENTS)
                .start();
        journey.after(Duration.ofHours(1))
                .did(ActivityType.EMAIL_CLICK, Map.of("templateId", "t1", "linkUrl", "https://acme.test/blog"));
        assertThat(journey.at()).isEqualTo("t");
        journey.after(Duration.ofHours(1))
                .did(
                        ActivityType.EMAIL_CLICK,
                        Map.of("templateId", "t1", "linkUrl", "https://acme.test/Pricing?plan=pro"));
        assertThat(journey.executed()).contains("yes");
    }

    @Test
    void formPageAndWebinarTriggersMatchTheirActivities() {
        var form = Journey.of(trigger(new FormSubmitted("Contact Us"), Timing.UP_TO, 3), RECIPIENTS)
                .start();
        form.after(Duration.ofHours(1)).did(ActivityType.FORM_SUBMIT, Map.of("formName", "Newsletter"));
        form.after(Duration.ofHours(1)).did(ActivityType.FORM_SUBMIT, Map.of("formName", "contact us"));
        assertThat(form.executed()).contains("yes");

        var formById = Journey.of(trigger(new FormSubmitted("17"), Timing.UP_TO, 3), RECIPIENTS)
                .start();
        formById.after(Duration.ofHours(1)).did(ActivityType.FORM_SUBMIT, Map.of("formId", "17", "formName", "X"));
        assertThat(formById.executed()).contains("yes");

        var page = Journey.of(trigger(new PageViewed("https://acme.test/docs/*"), Timing.UP_TO, 3), RECIPIENTS)
                .start();
        page.after(Duration.ofHours(1)).did(ActivityType.PAGE_VIEW, Map.of("url", "https://acme.test/pricing"));
        assertThat(page.at()).isEqualTo("t");
        page.after(Duration.ofHours(1)).did(ActivityType.PAGE_VIEW, Map.of("url", "https://acme.test/docs/api"));
        assertThat(page.executed()).contains("yes");

        var webinar = Journey.of(trigger(new WebinarAttended(null), Timing.UP_TO, 3), RECIPIENTS)
                .start();
        webinar.after(Duration.ofHours(1)).did(ActivityType.WEBINAR_REGISTERED, Map.of());
        assertThat(webinar.at()).isEqualTo("t");
        webinar.after(Duration.ofHours(1)).did(ActivityType.WEBINAR_ATTENDED, Map.of("assetName", "Q2 launch"));
        assertThat(webinar.executed()).contains("yes");
    }

    @Test
    void aRuleBranchesOnTheProspectAsItIsWhenTheRuleRuns() {
        var definition = program("wait")
                .step(WaitStep.days("wait", 1, "rule"))
                .step(new RuleStep("rule", new ScoreCondition(Operator.GTE, List.of(50L)), "hot", "cold"))
                .step(new EndStep("hot"))
                .step(new EndStep("cold"))
                .build();
        var journey = Journey.of(definition, RECIPIENTS).start();
        journey.score = 60;
        journey.after(Duration.ofDays(1));
        assertThat(journey.at()).isEqualTo("hot");
        assertThat(journey.executions().get(1).passed()).isEqualTo(Passed.YES);
    }

    @Test
    void aCompletedEnrollmentNoLongerMoves() {
        var definition = program("end").step(new EndStep("end")).build();
        var journey = Journey.of(definition, RECIPIENTS).start();
        assertThat(journey.enrollment.status()).isEqualTo(Status.COMPLETED);
        assertThat(journey.enrollment.dueAt()).isNull();
        int before = journey.effects.size();
        journey.after(Duration.ofDays(3)).did(ActivityType.EMAIL_OPEN, Map.of());
        assertThat(journey.effects).hasSize(before);
    }

    @Test
    void optedOutProspectsKeepMovingButGetNoEmail() {
        var journey = Journey.of(trigger(new EmailOpened(null), Timing.UP_TO, 2), RECIPIENTS);
        journey.fields.put("optedOut", true);
        journey.start().after(Duration.ofDays(2));

        assertThat(journey.actions()).containsExactly(new AdjustScore(-1));
        assertThat(journey.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(SkipReason.OPTED_OUT);
            assertThat(s.templateId()).isEqualTo("t1");
            assertThat(s.key()).isEqualTo("7:1:mail:1");
        });
        assertThat(journey.executed()).containsExactly("mail", "t", "no", "end");
    }

    @Test
    void hardBouncedAndDoNotEmailProspectsAreSkippedToo() {
        var bounced = Journey.of(trigger(new EmailOpened(null), Timing.UP_TO, 2), RECIPIENTS);
        bounced.fields.put("hardBounced", true);
        assertThat(bounced.start().skipped()).extracting(s -> s.reason()).containsExactly(SkipReason.HARD_BOUNCED);
        var blocked = Journey.of(trigger(new EmailOpened(null), Timing.UP_TO, 2), RECIPIENTS);
        blocked.fields.put("doNotEmail", true);
        assertThat(blocked.start().skipped()).extracting(s -> s.reason()).containsExactly(SkipReason.DO_NOT_EMAIL);
    }

    @Test
    void aLoopGivesEachVisitItsOwnKey() {
        var definition = program("mail")
                .step(new ActionStep("mail", new SendEmail("t1"), "clicked"))
                .step(new TriggerStep("clicked", new EmailClicked(null, null), Timing.UP_TO, 2, "end", "later"))
                .step(WaitStep.days("later", 5, "mail"))
                .step(new EndStep("end"))
                .build();
        assertThat(ProgramValidator.validate(definition)).isEmpty();
        var journey = Journey.of(definition, RECIPIENTS).start(3).after(Duration.ofDays(15));

        assertThat(journey.executions())
                .filteredOn(e -> e.stepId().equals("mail"))
                .extracting(StepExecuted::key)
                .containsExactly("3:1:mail:1", "3:1:mail:2", "3:1:mail:3");
        journey.did(ActivityType.EMAIL_CLICK, email("t1"));
        assertThat(journey.enrollment.status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void retryingAnAdvanceFromTheSameStoredStateGivesTheSameKeys() {
        var journey = Journey.of(trigger(new EmailOpened(null), Timing.UP_TO, 5), RECIPIENTS);
        var enrolled = RUNNER.enroll(journey.definition, 8, 42, MONDAY).enrollment();

        var first = RUNNER.advance(journey.definition, enrolled, journey.facts(), List.of(), MONDAY);
        var retry = RUNNER.advance(journey.definition, enrolled, journey.facts(), List.of(), MONDAY.plusSeconds(5));
        assertThat(retry.effects())
                .filteredOn(e -> e instanceof StepExecuted)
                .extracting(e -> ((StepExecuted) e).key())
                .containsExactlyElementsOf(first.effects().stream()
                        .filter(e -> e instanceof StepExecuted)
                        .map(e -> ((StepExecuted) e).key())
                        .toList());
    }

    @Test
    void aTriggerNeverPassesInTheAdvanceThatEnteredIt() {
        var definition = program("t")
                .step(new TriggerStep("t", new EmailOpened(null), Timing.UP_TO, 2, "score", "end"))
                .step(new ActionStep("score", new AdjustScore(1), "t2"))
                .step(new TriggerStep("t2", new EmailOpened(null), Timing.UP_TO, 2, "end", "end"))
                .step(new EndStep("end"))
                .build();
        var journey = Journey.of(definition, RECIPIENTS).start();
        journey.after(Duration.ofHours(1)).did(ActivityType.EMAIL_OPEN, email("t1"));
        assertThat(journey.executed()).containsExactly("t", "score");
        assertThat(journey.at())
                .as("the same open does not pass the next trigger")
                .isEqualTo("t2");
    }

    @Test
    void theStepLimitExitsAProgramThatLoopsWithoutAWait() {
        var looping = program("a")
                .step(new ActionStep("a", new AdjustScore(1), "b"))
                .step(new RuleStep("b", new ScoreCondition(Operator.GTE, List.of(0L)), "a", "end"))
                .step(new EndStep("end"))
                .build();
        assertThat(ProgramValidator.validate(looping)).isNotEmpty();
        var journey = Journey.of(looping, RECIPIENTS).start();

        assertThat(journey.enrollment.status()).isEqualTo(Status.EXITED);
        assertThat(journey.executed()).hasSize(ProgramRunner.MAX_STEPS_PER_ADVANCE);
        assertThat(journey.effects.getLast())
                .isInstanceOfSatisfying(
                        StatusChanged.class, s -> assertThat(s.reason()).contains("loops without a wait"));
    }

    @Test
    void aProspectHasOneEnrollmentAtATimeAndReEntersOnlyWhenAllowed() {
        var never = program("end").step(new EndStep("end")).suppressions(6L).build();
        var again = never.revise().reEntry(ReEntry.AFTER_COMPLETION).build();
        var journey = Journey.of(never, RECIPIENTS);

        assertThat(RUNNER.entry(never, journey.facts(), null)).isEqualTo(EntryDecision.ENROLL);
        assertThat(RUNNER.entry(again, journey.facts(), Status.ACTIVE)).isEqualTo(EntryDecision.ALREADY_ENROLLED);
        assertThat(RUNNER.entry(again, journey.facts(), Status.PAUSED)).isEqualTo(EntryDecision.ALREADY_ENROLLED);
        assertThat(RUNNER.entry(never, journey.facts(), Status.COMPLETED)).isEqualTo(EntryDecision.NO_RE_ENTRY);
        assertThat(RUNNER.entry(again, journey.facts(), Status.COMPLETED)).isEqualTo(EntryDecision.ENROLL);
        assertThat(RUNNER.entry(again, journey.facts(), Status.EXITED)).isEqualTo(EntryDecision.ENROLL);

        journey.lists.add(6L);
        assertThat(RUNNER.entry(never, journey.facts(), null)).isEqualTo(EntryDecision.SUPPRESSED);
        journey.lists.clear();
        assertThat(RUNNER.entry(never, journey.facts(), null)).isEqualTo(EntryDecision.NOT_A_RECIPIENT);
    }

    @Test
    void anEnrollmentFinishesOnItsOwnVersionWhileNewOnesTakeTheEditedOne() {
        var v1 = program("wait")
                .step(WaitStep.days("wait", 3, "mail"))
                .step(new ActionStep("mail", new SendEmail("old"), "end"))
                .step(new EndStep("end"))
                .build();
        var v2 = v1.revise()
                .replace(new ActionStep("mail", new SendEmail("new"), "end"))
                .build();
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v1.step("mail")).isEqualTo(new ActionStep("mail", new SendEmail("old"), "end"));

        var inFlight = Journey.of(v1, RECIPIENTS).start();
        var fresh = Journey.of(v2, RECIPIENTS).start(8);
        inFlight.after(Duration.ofDays(3));
        fresh.after(Duration.ofDays(3));

        assertThat(inFlight.actions()).containsExactly(new SendEmail("old"));
        assertThat(inFlight.enrollment.version()).isEqualTo(1);
        assertThat(fresh.actions()).containsExactly(new SendEmail("new"));
        assertThat(fresh.executions()).extracting(StepExecuted::key).contains("8:2:mail:1");
        assertThatThrownBy(() -> RUNNER.advance(v2, inFlight.enrollment, inFlight.facts(), List.of(), MONDAY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v1");
    }

    @Test
    void exitingEndsAnEnrollmentForGood() {
        var journey = Journey.of(trigger(new EmailOpened(null), Timing.UP_TO, 5), RECIPIENTS)
                .start();
        journey.record(RUNNER.exit(journey.enrollment, "removed by a rule", journey.now));
        assertThat(journey.enrollment.status()).isEqualTo(Status.EXITED);
        journey.after(Duration.ofDays(10)).did(ActivityType.EMAIL_OPEN, email("t1"));
        assertThat(journey.executed()).containsExactly("mail");
    }
}
