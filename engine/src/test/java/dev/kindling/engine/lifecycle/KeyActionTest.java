package dev.kindling.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.intake.IntakeEvent;
import dev.kindling.engine.intake.IntakeProcessor;
import dev.kindling.engine.intake.LastActivityStep;
import dev.kindling.engine.intake.ProspectState;
import dev.kindling.engine.scoring.DecayPolicy;
import dev.kindling.engine.scoring.ScoreState;
import dev.kindling.engine.scoring.ScoringModel;
import dev.kindling.engine.scoring.ScoringRule;
import dev.kindling.engine.scoring.ScoringStep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The optional MQL condition "and did a key action within N days", with a fixed clock. */
class KeyActionTest {

    static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    static final LifecyclePolicy POLICY =
            LifecyclePolicy.DEFAULTS.withKeyAction(Set.of(ActivityType.FORM_SUBMIT, ActivityType.WEBINAR_ATTENDED), 30);

    final Lifecycle lifecycle = new Lifecycle(StageTable.standard(), POLICY);

    @Test
    void offByDefaultSoScoreAndGradeAloneQualify() {
        assertThat(LifecyclePolicy.DEFAULTS.keyActionRequired()).isFalse();
        assertThat(new Lifecycle(StageTable.standard(), LifecyclePolicy.DEFAULTS)
                        .qualify(1, LifecycleStage.ENGAGED, 60, Grade.B, NOW))
                .isPresent();
    }

    @Test
    void withTheConditionOnScoreAndGradeWithoutAKeyActionDoNotQualify() {
        assertThat(lifecycle.qualify(1, LifecycleStage.ENGAGED, 60, Grade.B, NOW))
                .isEmpty();
        assertThat(lifecycle.qualify(1, LifecycleStage.ENGAGED, 60, Grade.B, null, NOW))
                .isEmpty();
    }

    @Test
    void aKeyActionWithinTheDaysQualifiesBoundsIncluded() {
        assertThat(lifecycle.qualify(1, LifecycleStage.ENGAGED, 60, Grade.B, NOW.minus(Duration.ofDays(10)), NOW))
                .get()
                .extracting(IntakeEvent.StageChanged::to, IntakeEvent.StageChanged::at)
                .containsExactly(LifecycleStage.MQL, NOW);
        assertThat(lifecycle.qualify(1, LifecycleStage.ENGAGED, 60, Grade.B, NOW.minus(Duration.ofDays(30)), NOW))
                .isPresent();
        assertThat(lifecycle.qualify(1, LifecycleStage.RECYCLED, 60, Grade.B, NOW, NOW))
                .isPresent();
    }

    @Test
    void aKeyActionOlderThanTheDaysOrAfterTheInstantDoesNotCount() {
        assertThat(lifecycle.qualify(
                        1,
                        LifecycleStage.ENGAGED,
                        60,
                        Grade.B,
                        NOW.minus(Duration.ofDays(30)).minusSeconds(1),
                        NOW))
                .isEmpty();
        assertThat(lifecycle.qualify(1, LifecycleStage.ENGAGED, 60, Grade.B, NOW.plusSeconds(1), NOW))
                .isEmpty();
    }

    @Test
    void theThresholdsStillApplyWithAKeyAction() {
        assertThat(lifecycle.qualify(1, LifecycleStage.ENGAGED, 49, Grade.B, NOW, NOW))
                .isEmpty();
        assertThat(lifecycle.qualify(1, LifecycleStage.ENGAGED, 60, Grade.C_MINUS, NOW, NOW))
                .isEmpty();
        assertThat(lifecycle.qualify(1, LifecycleStage.CAPTURED, 60, Grade.B, NOW, NOW))
                .isEmpty();
    }

    @Test
    void theCauseNamesTheKeyAction() {
        Instant key = NOW.minus(Duration.ofDays(3));
        assertThat(lifecycle
                        .qualify(1, LifecycleStage.ENGAGED, 60, Grade.B, key, NOW)
                        .orElseThrow()
                        .cause())
                .isEqualTo("threshold:score 60 >= 50 and grade B >= C and key action at " + key + " within 30 days");
    }

    @Test
    void theKeyActionActivityItselfQualifiesInIntake() {
        IntakeProcessor processor = processor();
        ProspectState engaged =
                new ProspectState(1, LifecycleStage.ENGAGED, null, ScoreState.EMPTY.withValue(40), Grade.B, null);
        // a page view to 55 points: no key action, no MQL
        IntakeProcessor.Result viewed = processor.apply(
                engaged, List.of(activity(1, ActivityType.PAGE_VIEW, NOW.minus(Duration.ofDays(2)))), NOW);
        assertThat(viewed.state().stage()).isEqualTo(LifecycleStage.ENGAGED);
        assertThat(viewed.state().score().value()).isEqualTo(55);
        // a webinar the next day is the key action: MQL dated at it
        Instant webinar = NOW.minus(Duration.ofDays(1));
        IntakeProcessor.Result attended =
                processor.apply(viewed.state(), List.of(activity(2, ActivityType.WEBINAR_ATTENDED, webinar)), NOW);
        assertThat(attended.state().stage()).isEqualTo(LifecycleStage.MQL);
        assertThat(attended.state().lastKeyActionAt()).isEqualTo(webinar);
        assertThat(stageChanges(attended))
                .singleElement()
                .extracting(IntakeEvent.StageChanged::at)
                .isEqualTo(webinar);
    }

    @Test
    void aKnownKeyActionLetsALaterActivityQualifyWithinTheDaysOnly() {
        IntakeProcessor processor = processor();
        Instant form = NOW.minus(Duration.ofDays(40));
        ProspectState engaged = new ProspectState(
                1, LifecycleStage.ENGAGED, form, ScoreState.EMPTY.withValue(0), Grade.B, null, form, form);
        // 31 days after the key action, 60 points: too late
        IntakeProcessor.Result late =
                processor.apply(engaged, List.of(activity(1, ActivityType.CHAT, form.plus(Duration.ofDays(31)))), NOW);
        assertThat(late.state().stage()).isEqualTo(LifecycleStage.ENGAGED);
        // 29 days after it: in time
        IntakeProcessor.Result inTime =
                processor.apply(engaged, List.of(activity(1, ActivityType.CHAT, form.plus(Duration.ofDays(29)))), NOW);
        assertThat(inTime.state().stage()).isEqualTo(LifecycleStage.MQL);
    }

    @Test
    void thePolicyRefusesNegativeOrMissingDaysWhenTypesAreSet() {
        assertThatThrownBy(() -> LifecyclePolicy.DEFAULTS.withKeyAction(Set.of(ActivityType.FORM_SUBMIT), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LifecyclePolicy.DEFAULTS.withKeyAction(Set.of(), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LifecyclePolicy.DEFAULTS.withKeyAction(Set.of(ActivityType.FORM_SUBMIT), 3651))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(LifecyclePolicy.DEFAULTS.withKeyAction(Set.of(), 0).keyActionRequired())
                .isFalse();
    }

    private static IntakeProcessor processor() {
        ScoringModel model = new ScoringModel(
                List.of(
                        ScoringRule.of(1, "page view", ActivityType.PAGE_VIEW, 15),
                        ScoringRule.of(2, "webinar", ActivityType.WEBINAR_ATTENDED, 25),
                        ScoringRule.of(3, "chat", ActivityType.CHAT, 60)),
                DecayPolicy.DEFAULT,
                0);
        return new IntakeProcessor(List.of(
                new LastActivityStep(),
                new ScoringStep(() -> model),
                new LifecycleStep(StageTable.standard(), () -> POLICY)));
    }

    private static Activity activity(long id, ActivityType type, Instant at) {
        return new Activity(id, type, null, at, null, Map.of(), false);
    }

    private static List<IntakeEvent.StageChanged> stageChanges(IntakeProcessor.Result result) {
        return result.events().stream()
                .filter(IntakeEvent.StageChanged.class::isInstance)
                .map(IntakeEvent.StageChanged.class::cast)
                .toList();
    }
}
