package dev.kindling.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.intake.IntakeEvent;
import dev.kindling.engine.intake.IntakeProcessor;
import dev.kindling.engine.intake.LastActivityStep;
import dev.kindling.engine.intake.ProspectState;
import dev.kindling.engine.scoring.DecayPolicy;
import dev.kindling.engine.scoring.LedgerEntry;
import dev.kindling.engine.scoring.ScoringModel;
import dev.kindling.engine.scoring.ScoringRule;
import dev.kindling.engine.scoring.ScoringStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * History processed long after it happened (an import, the demo): scoring works on the activities' own timeline, so
 * the MQL thresholds see the score each activity gave when it happened, and decay up to now comes after.
 */
class HistoryTimelineTest {

    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    static final ScoringModel MODEL = new ScoringModel(
            List.of(ScoringRule.of(1, "webinar attended", ActivityType.WEBINAR_ATTENDED, 25)), DecayPolicy.DEFAULT, 0);

    final IntakeProcessor processor = new IntakeProcessor(List.of(
            new LastActivityStep(),
            new ScoringStep(() -> MODEL),
            new LifecycleStep(StageTable.standard(), () -> LifecyclePolicy.DEFAULTS)));

    @Test
    void twoWebinarsAYearAgoQualifiedWhenTheSecondHappenedAndTheScoreHasDecayedSince() {
        Instant first = NOW.minus(Duration.ofDays(365));
        Instant second = first.plus(Duration.ofDays(20));
        IntakeProcessor.Result result =
                processor.apply(captured(first), List.of(webinar(1, first), webinar(2, second)), NOW);

        assertThat(stageChanges(result))
                .extracting(IntakeEvent.StageChanged::to, IntakeEvent.StageChanged::at)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LifecycleStage.ENGAGED, first),
                        org.assertj.core.groups.Tuple.tuple(LifecycleStage.MQL, second));
        // the inactivity decay, 90 days after the second webinar, comes after the qualification
        assertThat(result.state().score().value()).isZero();
        LedgerEntry decay = ledger(result).getLast();
        assertThat(decay.kind()).isEqualTo(LedgerEntry.Kind.DECAY);
        assertThat(decay.at()).isEqualTo(second.plus(Duration.ofDays(90)));
        assertThat(result.state().score().nextDecayAt()).isNull();
    }

    @Test
    void pointsEarnedBeforeAQuietPeriodAreGoneWhenTheHistoryResumes() {
        Instant first = NOW.minus(Duration.ofDays(300));
        Instant second = first.plus(Duration.ofDays(120));
        IntakeProcessor.Result result =
                processor.apply(captured(first), List.of(webinar(1, first), webinar(2, second)), NOW);
        // 25, decayed to 0 at day 90, then 25 again: never 50
        assertThat(stageChanges(result))
                .extracting(IntakeEvent.StageChanged::to)
                .doesNotContain(LifecycleStage.MQL);
        assertThat(ledger(result))
                .extracting(LedgerEntry::kind)
                .containsExactly(
                        LedgerEntry.Kind.ACTIVITY,
                        LedgerEntry.Kind.DECAY,
                        LedgerEntry.Kind.ACTIVITY,
                        LedgerEntry.Kind.DECAY);
    }

    @Test
    void aHistorySplitOverBatchesStaysOnItsTimelineWhileTheRestWaits() {
        Instant first = NOW.minus(Duration.ofDays(200));
        Instant second = first.plus(Duration.ofDays(30));
        // first batch: more of the prospect's activities wait in the queue, so nothing is settled yet
        IntakeProcessor.Result one = processor.applyUnsettled(captured(first), List.of(webinar(1, first)), NOW);
        assertThat(one.state().score().value()).isEqualTo(25);
        assertThat(one.state().score().nextDecayAt())
                .isEqualTo(first.plus(Duration.ofDays(90)))
                .isBefore(NOW);
        // second batch, the last: qualifies at the second webinar, then decays to now
        IntakeProcessor.Result two = processor.apply(one.state(), List.of(webinar(2, second)), NOW);
        assertThat(stageChanges(two))
                .extracting(IntakeEvent.StageChanged::to, IntakeEvent.StageChanged::at)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(LifecycleStage.MQL, second));
        assertThat(two.state().score().value()).isZero();
    }

    @Test
    void settlingIsWhatApplyAddsToTheUnsettledResult() {
        Instant first = NOW.minus(Duration.ofDays(200));
        List<Activity> activities = List.of(webinar(1, first), webinar(2, first.plus(Duration.ofDays(3))));
        assertThat(processor.settle(processor.applyUnsettled(captured(first), activities, NOW), NOW))
                .isEqualTo(processor.apply(captured(first), activities, NOW));
    }

    private static ProspectState captured(Instant at) {
        return new ProspectState(9, LifecycleStage.CAPTURED, null, null, Grade.B, null, at);
    }

    private static Activity webinar(long id, Instant at) {
        return new Activity(id, ActivityType.WEBINAR_ATTENDED, null, at, null, Map.of(), false);
    }

    private static List<IntakeEvent.StageChanged> stageChanges(IntakeProcessor.Result result) {
        return result.events().stream()
                .filter(IntakeEvent.StageChanged.class::isInstance)
                .map(IntakeEvent.StageChanged.class::cast)
                .toList();
    }

    private static List<LedgerEntry> ledger(IntakeProcessor.Result result) {
        List<LedgerEntry> all = new ArrayList<>();
        result.events().stream()
                .filter(IntakeEvent.ScoreChanged.class::isInstance)
                .forEach(e -> all.addAll(((IntakeEvent.ScoreChanged) e).entries()));
        return all;
    }
}
