package dev.kindling.engine.lifecycle;

import static dev.kindling.engine.lifecycle.LifecycleStage.CAPTURED;
import static dev.kindling.engine.lifecycle.LifecycleStage.ENGAGED;
import static dev.kindling.engine.lifecycle.LifecycleStage.MQL;
import static dev.kindling.engine.lifecycle.LifecycleStage.RECYCLED;
import static dev.kindling.engine.lifecycle.LifecycleStage.SQL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.intake.IntakeEvent.StageChanged;
import dev.kindling.engine.intake.IntakeProcessor;
import dev.kindling.engine.intake.LastActivityStep;
import dev.kindling.engine.intake.ProspectState;
import dev.kindling.engine.scoring.ScoreState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** When lifecycle transitions are dated: activity time, due time, never before the previous move or the capture. */
class TransitionTimeTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant CAPTURED_AT = NOW.minus(Duration.ofDays(300));
    static final Duration PERIOD = Duration.ofDays(90);

    final Lifecycle lifecycle = new Lifecycle(StageTable.standard(), LifecyclePolicy.DEFAULTS);
    final IntakeProcessor processor = new IntakeProcessor(
            List.of(new LastActivityStep(), new LifecycleStep(StageTable.standard(), () -> LifecyclePolicy.DEFAULTS)));

    @Test
    void anEngagingActivityIsDatedWhenItHappenedNotWhenItIsProcessed() {
        Instant clicked = CAPTURED_AT.plus(Duration.ofDays(10));
        var result = processor.apply(captured(0, null), List.of(activity(1, ActivityType.EMAIL_CLICK, clicked)), NOW);

        assertThat(moves(result)).containsExactly(new StageChanged(7, CAPTURED, ENGAGED, clicked, "activity:1"));
        assertThat(result.state().stageChangedAt()).isEqualTo(clicked);
    }

    @Test
    void theMqlThresholdCrossedByAnActivityTakesThatActivitysTime() {
        Instant clicked = CAPTURED_AT.plus(Duration.ofDays(10));
        var result =
                processor.apply(captured(60, Grade.B), List.of(activity(1, ActivityType.EMAIL_CLICK, clicked)), NOW);

        assertThat(moves(result))
                .extracting(StageChanged::to, StageChanged::at)
                .containsExactly(tuple(ENGAGED, clicked), tuple(MQL, clicked));
    }

    @Test
    void aHandRaiseIsDatedAtTheDemoRequest() {
        Instant requested = CAPTURED_AT.plus(Duration.ofDays(40));
        var result =
                processor.apply(captured(0, null), List.of(activity(1, ActivityType.DEMO_REQUEST, requested)), NOW);

        assertThat(moves(result)).extracting(StageChanged::to).containsExactly(SQL);
        assertThat(moves(result)).allMatch(c -> c.at().equals(requested));
    }

    @Test
    void anActivityBeforeTheCaptureIsDatedAtTheCapture() {
        Instant before = CAPTURED_AT.minus(Duration.ofDays(3));
        var result = processor.apply(captured(0, null), List.of(activity(1, ActivityType.EMAIL_CLICK, before)), NOW);

        assertThat(moves(result)).extracting(StageChanged::at).containsExactly(CAPTURED_AT);
    }

    @Test
    void aLateBackDatedActivityIsDatedAtTheLastTransitionSoTheHistoryStaysInOrder() {
        Instant lastMove = NOW.minus(Duration.ofDays(5));
        ProspectState recycledRecently =
                new ProspectState(7, RECYCLED, NOW.minus(Duration.ofDays(95)), ScoreState.EMPTY, null, null, lastMove);
        Instant backDated = NOW.minus(Duration.ofDays(60));

        var result = processor.apply(recycledRecently, List.of(activity(1, ActivityType.FORM_SUBMIT, backDated)), NOW);

        assertThat(moves(result)).containsExactly(new StageChanged(7, RECYCLED, ENGAGED, lastMove, "activity:1"));
    }

    @Test
    void anActivityFromTheFutureIsDatedNow() {
        ProspectState recent = new ProspectState(7, CAPTURED, null, ScoreState.EMPTY, null, NOW.plus(PERIOD), NOW);
        var result = processor.apply(
                recent, List.of(activity(1, ActivityType.EMAIL_CLICK, NOW.plus(Duration.ofHours(2)))), NOW);

        assertThat(moves(result)).extracting(StageChanged::at).containsExactly(NOW);
    }

    @Test
    void aSilenceLongerThanThePeriodInsideOneBatchRecyclesAtTheDueInstantThenReengagesAtTheActivity() {
        Instant first = CAPTURED_AT.plus(Duration.ofDays(1));
        Instant second = first.plus(Duration.ofDays(120));
        var result = processor.apply(
                captured(60, Grade.A),
                List.of(activity(2, ActivityType.EMAIL_CLICK, second), activity(1, ActivityType.EMAIL_CLICK, first)),
                NOW);

        assertThat(moves(result))
                .extracting(StageChanged::from, StageChanged::to, StageChanged::at)
                .containsExactly(
                        tuple(CAPTURED, ENGAGED, first),
                        tuple(ENGAGED, MQL, first),
                        tuple(MQL, RECYCLED, first.plus(PERIOD)),
                        tuple(RECYCLED, ENGAGED, second),
                        tuple(ENGAGED, MQL, second));
        assertThat(moves(result).get(2).cause()).isEqualTo("policy:no activity for 90 days since " + first);
        assertThat(result.state().lifecycleCheckAt()).isEqualTo(second.plus(PERIOD));
    }

    @Test
    void aCapturedProspectSilentSinceCaptureIsRecycledAtCapturePlusThePeriodWhenItsFirstActivityComesLater() {
        Instant late = CAPTURED_AT.plus(Duration.ofDays(200));
        var result = processor.apply(captured(0, null), List.of(activity(1, ActivityType.PAGE_VIEW, late)), NOW);

        assertThat(moves(result))
                .containsExactly(new StageChanged(
                        7,
                        CAPTURED,
                        RECYCLED,
                        CAPTURED_AT.plus(PERIOD),
                        "policy:no activity for 90 days since " + CAPTURED_AT));
    }

    @Test
    void anActivityExactlyAtTheDueInstantIsInTime() {
        var result = processor.apply(
                captured(0, null), List.of(activity(1, ActivityType.EMAIL_CLICK, CAPTURED_AT.plus(PERIOD))), NOW);

        assertThat(moves(result)).extracting(StageChanged::to).containsExactly(ENGAGED);
    }

    @Test
    void aBotActivityAfterTheSilenceRecyclesNothing() {
        Activity bot = new Activity(
                1, ActivityType.PAGE_VIEW, null, CAPTURED_AT.plus(Duration.ofDays(200)), null, Map.of(), true);
        assertThat(processor.apply(captured(0, null), List.of(bot), NOW).events())
                .isEmpty();
    }

    @Test
    void theInactivityJobRunningLateDatesTheRecycleWhenItFellDue() {
        Instant last = NOW.minus(Duration.ofDays(130));
        assertThat(lifecycle.inactivity(7, MQL, last, last, NOW))
                .contains(new StageChanged(
                        7, MQL, RECYCLED, last.plus(PERIOD), "policy:no activity for 90 days since " + last));
    }

    @Test
    void theInactivityJobNeverDatesTheRecycleBeforeThePreviousTransition() {
        Instant last = NOW.minus(Duration.ofDays(130));
        Instant movedByHand = NOW.minus(Duration.ofDays(10));
        assertThat(lifecycle.inactivity(7, MQL, last, movedByHand, NOW))
                .map(StageChanged::at)
                .contains(movedByHand);
    }

    @Test
    void manualAndThresholdMovesStayAtTheDecisionInstant() {
        assertThat(lifecycle.manual(7, CAPTURED, MQL, NOW, "ana").at()).isEqualTo(NOW);
        assertThat(lifecycle.qualify(7, ENGAGED, 80, Grade.A, NOW))
                .map(StageChanged::at)
                .contains(NOW);
    }

    @Test
    void overRandomHistoriesEveryTransitionIsInOrderNeverBeforeCaptureAndNeverAfterNow() {
        Random random = new Random(20260302L);
        for (int n = 0; n < 1_000; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            ProspectState start = randomStart(gen);
            Instant floor = start.stageChangedAt();
            IntakeProcessor.Result result = processor.apply(start, randomActivities(gen), NOW);
            Instant previous = floor;
            for (StageChanged c : moves(result)) {
                assertThat(c.at())
                        .as("case seed %d: %s", caseSeed, c)
                        .isAfterOrEqualTo(previous)
                        .isAfterOrEqualTo(floor)
                        .isBeforeOrEqualTo(NOW);
                previous = c.at();
            }
            assertThat(result.state().stageChangedAt())
                    .as("case seed %d", caseSeed)
                    .isEqualTo(previous);
        }
    }

    @Test
    void overRandomHistoriesTheArrivalOrderOfABatchDoesNotChangeTheDatedHistory() {
        Random random = new Random(20260303L);
        for (int n = 0; n < 1_000; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            ProspectState start = randomStart(gen);
            List<Activity> activities = randomActivities(gen);
            List<Activity> shuffled = new ArrayList<>(activities);
            Collections.shuffle(shuffled, gen);
            assertThat(processor.apply(start, shuffled, NOW))
                    .as("case seed %d", caseSeed)
                    .isEqualTo(processor.apply(start, activities, NOW));
        }
    }

    @Test
    void overRandomHistoriesEveryRecycleInsideABatchIsDatedOnePeriodAfterASilenceBegan() {
        Random random = new Random(20260304L);
        int recycled = 0;
        for (int n = 0; n < 1_000; n++) {
            long caseSeed = random.nextLong();
            Random gen = new Random(caseSeed);
            ProspectState start = randomStart(gen).withStage(ENGAGED);
            start = start.withLifecycleCheckAt(start.lastActivityAt().plus(PERIOD));
            List<Activity> activities = randomActivities(gen);
            List<Instant> seen = new ArrayList<>(activities.stream()
                    .filter(a -> !a.bot())
                    .map(Activity::occurredAt)
                    .toList());
            seen.add(start.lastActivityAt());
            for (StageChanged c : moves(processor.apply(start, activities, NOW))) {
                if (c.to() != RECYCLED || c.at().equals(start.stageChangedAt())) {
                    continue;
                }
                recycled++;
                Instant began = c.at().minus(PERIOD);
                assertThat(seen)
                        .as("case seed %d: the silence began with an activity", caseSeed)
                        .contains(began);
                assertThat(seen)
                        .as("case seed %d: and nothing happened during it", caseSeed)
                        .noneMatch(t -> t.isAfter(began) && !t.isAfter(c.at()));
            }
        }
        assertThat(recycled).as("recycles exercised").isGreaterThan(100);
    }

    @Test
    void aSilenceInsideABatchRecyclesOnlyRecyclableStages() {
        Instant first = CAPTURED_AT.plus(Duration.ofDays(1));
        Instant later = first.plus(Duration.ofDays(200));
        var result = processor.apply(
                captured(0, null),
                List.of(activity(1, ActivityType.DEMO_REQUEST, first), activity(2, ActivityType.EMAIL_CLICK, later)),
                NOW);

        assertThat(moves(result)).extracting(StageChanged::to).containsExactly(SQL);
        assertThat(result.state().lifecycleCheckAt()).isNull();
    }

    private ProspectState captured(int score, Grade grade) {
        return new ProspectState(
                7, CAPTURED, null, ScoreState.EMPTY.withValue(score), grade, CAPTURED_AT.plus(PERIOD), CAPTURED_AT);
    }

    private static ProspectState randomStart(Random gen) {
        LifecycleStage[] stages = {CAPTURED, ENGAGED, MQL, RECYCLED, SQL, LifecycleStage.DISQUALIFIED};
        LifecycleStage stage = stages[gen.nextInt(stages.length)];
        Instant captured = NOW.minus(Duration.ofDays(100 + gen.nextInt(400)));
        Instant since = captured.plus(Duration.ofHours(gen.nextInt(24 * 100)));
        Instant last = captured.plus(Duration.ofHours(gen.nextInt(24 * 100)));
        Instant check = StageTable.standard().next(stage, Trigger.INACTIVITY).isPresent() ? last.plus(PERIOD) : null;
        Grade grade = gen.nextInt(4) == 0 ? null : Grade.values()[gen.nextInt(Grade.values().length)];
        return new ProspectState(7, stage, last, ScoreState.EMPTY.withValue(gen.nextInt(120)), grade, check, since);
    }

    private static List<Activity> randomActivities(Random gen) {
        ActivityType[] types = ActivityType.values();
        int n = gen.nextInt(10);
        List<Activity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Activity(
                    100 + i,
                    types[gen.nextInt(types.length)],
                    null,
                    NOW.minus(Duration.ofHours(gen.nextInt(24 * 500))).plus(Duration.ofHours(gen.nextInt(48))),
                    null,
                    Map.of(),
                    gen.nextInt(8) == 0));
        }
        return out;
    }

    private static Activity activity(long id, ActivityType type, Instant at) {
        return new Activity(id, type, null, at, null, Map.of(), false);
    }

    private static List<StageChanged> moves(IntakeProcessor.Result result) {
        return result.events().stream()
                .filter(e -> e instanceof StageChanged)
                .map(e -> (StageChanged) e)
                .toList();
    }
}
