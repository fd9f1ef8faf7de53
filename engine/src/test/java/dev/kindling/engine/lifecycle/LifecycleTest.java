package dev.kindling.engine.lifecycle;

import static dev.kindling.engine.lifecycle.LifecycleStage.CAPTURED;
import static dev.kindling.engine.lifecycle.LifecycleStage.DISQUALIFIED;
import static dev.kindling.engine.lifecycle.LifecycleStage.ENGAGED;
import static dev.kindling.engine.lifecycle.LifecycleStage.MQL;
import static dev.kindling.engine.lifecycle.LifecycleStage.RECYCLED;
import static dev.kindling.engine.lifecycle.LifecycleStage.SQL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.intake.IntakeEvent.StageChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    final Lifecycle lifecycle = new Lifecycle(StageTable.standard(), LifecyclePolicy.DEFAULTS);

    @Test
    void aRecycledProspectThatEngagesAndQualifiesIsRecordedEngagedThenMql() {
        assertThat(lifecycle.onActivity(7, RECYCLED, 60, Grade.B, activity(5, ActivityType.EMAIL_CLICK, Map.of()), NOW))
                .containsExactly(
                        new StageChanged(7, RECYCLED, ENGAGED, NOW, "activity:5"),
                        new StageChanged(7, ENGAGED, MQL, NOW, "threshold:score 60 >= 50 and grade B >= C"));
    }

    @Test
    void aRecycledProspectThatQualifiesWithoutEngagingGoesStraightToMql() {
        assertThat(lifecycle.onActivity(7, RECYCLED, 60, Grade.C, activity(5, ActivityType.PAGE_VIEW, Map.of()), NOW))
                .extracting(StageChanged::to)
                .containsExactly(MQL);
    }

    @Test
    void theMqlThresholdsNeedBothScoreAndGrade() {
        assertThat(lifecycle.qualify(7, ENGAGED, 49, Grade.A, NOW)).isEmpty();
        assertThat(lifecycle.qualify(7, ENGAGED, 500, Grade.C_MINUS, NOW)).isEmpty();
        assertThat(lifecycle.qualify(7, ENGAGED, 500, null, NOW))
                .as("not graded")
                .isEmpty();
        assertThat(lifecycle.qualify(7, ENGAGED, 50, Grade.C, NOW))
                .map(StageChanged::to)
                .contains(MQL);
    }

    @Test
    void aContactSalesFormIsAHandRaiseWhateverItsCase() {
        var form = activity(9, ActivityType.FORM_SUBMIT, Map.of("formName", "  Contact SALES "));
        assertThat(lifecycle.onActivity(7, CAPTURED, 0, null, form, NOW))
                .containsExactly(new StageChanged(7, CAPTURED, SQL, NOW, "activity:9"));
        var other = activity(9, ActivityType.FORM_SUBMIT, Map.of("formName", "Newsletter"));
        assertThat(lifecycle.onActivity(7, CAPTURED, 0, null, other, NOW))
                .extracting(StageChanged::to)
                .containsExactly(ENGAGED);
    }

    @Test
    void botActivitiesMoveNothing() {
        var bot = new Activity(3, ActivityType.DEMO_REQUEST, null, NOW, null, Map.of(), true);
        assertThat(lifecycle.onActivity(7, CAPTURED, 100, Grade.A, bot, NOW)).isEmpty();
    }

    @Test
    void inactivityIsDueExactlyOnePeriodAfterTheLastActivity() {
        Instant last = NOW.minus(Duration.ofDays(90));
        assertThat(lifecycle.inactivityCheckAt(MQL, last)).isEqualTo(NOW);
        assertThat(lifecycle.inactivity(7, MQL, last, null, NOW.minusMillis(1))).isEmpty();
        assertThat(lifecycle.inactivity(7, MQL, last, null, NOW))
                .map(StageChanged::to)
                .contains(RECYCLED);
        assertThat(lifecycle.inactivityCheckAt(SQL, last))
                .as("SQL is not recycled by silence")
                .isNull();
        assertThat(lifecycle.inactivityCheckAt(RECYCLED, last)).isNull();
    }

    @Test
    void captureAppliesInvalidThenCompetitorThenFreeMail() {
        Lifecycle withRivals =
                new Lifecycle(StageTable.standard(), LifecyclePolicy.DEFAULTS.withCompetitors("Rival.example"));
        assertThat(withRivals.atCapture(7, CAPTURED, "x@sales.rival.example", NOW))
                .map(StageChanged::cause)
                .contains("policy:competitor domain sales.rival.example");
        assertThat(withRivals.atCapture(7, CAPTURED, "x@notrival.example", NOW)).isEmpty();
        assertThat(withRivals.atCapture(7, CAPTURED, "x@gmail.com", NOW))
                .map(StageChanged::to)
                .contains(DISQUALIFIED);
        assertThat(withRivals.atCapture(7, CAPTURED, "@@", NOW))
                .map(StageChanged::cause)
                .contains("policy:invalid email");
    }

    @Test
    void freeMailIsAcceptedWhenThePolicyIsOff() {
        var policy = new LifecyclePolicy(50, Grade.C, Set.of(), Set.of(), Set.of(), 90, false, Set.of());
        assertThat(new Lifecycle(StageTable.standard(), policy).atCapture(7, CAPTURED, "x@gmail.com", NOW))
                .isEmpty();
    }

    @Test
    void usersMayMoveAnywhereButToAnonymousOrWhereTheProspectIs() {
        assertThat(lifecycle.manual(7, DISQUALIFIED, ENGAGED, NOW, "ana@example.com"))
                .isEqualTo(new StageChanged(7, DISQUALIFIED, ENGAGED, NOW, "user:ana@example.com"));
        assertThatThrownBy(() -> lifecycle.manual(7, CAPTURED, LifecycleStage.ANONYMOUS, NOW, "ana"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lifecycle.manual(7, MQL, MQL, NOW, "ana"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Activity activity(long id, ActivityType type, Map<String, String> properties) {
        return new Activity(id, type, null, NOW.minusSeconds(30), null, properties, false);
    }
}
