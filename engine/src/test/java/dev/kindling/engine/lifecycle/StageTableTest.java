package dev.kindling.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.intake.IntakeEvent.StageChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cell of the stage table, with a fixed clock: each implemented (from, trigger) pair is driven through the
 * decision that fires it and must land where the table says; every pair absent from the table must leave the
 * stage alone.
 */
class StageTableTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final StageTable TABLE = StageTable.standard();
    static final Lifecycle LIFECYCLE = new Lifecycle(TABLE, LifecyclePolicy.DEFAULTS.withCompetitors("rival.example"));

    static Stream<Arguments> everyRow() {
        List<Arguments> cases = new ArrayList<>();
        for (StageTable.Transition t : StageTable.DEFAULT) {
            for (LifecycleStage from : t.from()) {
                cases.add(Arguments.of(from, t.trigger(), t.to()));
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> everyCellNotInTheTable() {
        List<Arguments> cases = new ArrayList<>();
        for (LifecycleStage from : LifecycleStage.values()) {
            for (Trigger trigger : Trigger.values()) {
                if (StageTable.DEFAULT.stream()
                        .noneMatch(t -> t.trigger() == trigger && t.from().contains(from))) {
                    cases.add(Arguments.of(from, trigger));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("everyRow")
    void eachRowMovesItsStagesWhereTheTableSays(LifecycleStage from, Trigger trigger, LifecycleStage to) {
        assertThat(TABLE.next(from, trigger)).contains(to);
        if (trigger.implemented() && trigger != Trigger.CAPTURE) {
            assertThat(fire(from, trigger))
                    .as("the decision behind %s", trigger)
                    .hasValueSatisfying(c -> {
                        assertThat(c.from()).isEqualTo(from);
                        assertThat(c.to()).isEqualTo(to);
                        assertThat(c.at()).isEqualTo(NOW);
                        assertThat(c.prospectId()).isEqualTo(7);
                        assertThat(c.cause()).matches("(activity|threshold|policy|opportunity|user):.+");
                    });
        }
    }

    @ParameterizedTest(name = "{0} ignores {1}")
    @MethodSource("everyCellNotInTheTable")
    void aStageOutsideARowIgnoresItsTrigger(LifecycleStage from, Trigger trigger) {
        assertThat(TABLE.next(from, trigger)).isEmpty();
        if (trigger.implemented() && trigger != Trigger.CAPTURE) {
            assertThat(fire(from, trigger)).isEmpty();
        }
    }

    @Test
    void aTableWithTwoRowsForOneStageAndTriggerIsRefused() {
        assertThatThrownBy(() -> new StageTable(List.of(
                        new StageTable.Transition(
                                EnumSet.of(LifecycleStage.CAPTURED), Trigger.HAND_RAISE, LifecycleStage.SQL),
                        new StageTable.Transition(
                                EnumSet.of(LifecycleStage.CAPTURED), Trigger.HAND_RAISE, LifecycleStage.MQL))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyTriggerButSalesConvertedIsImplementedAndAllAreInTheTable() {
        // a sales conversion creates an opportunity, whose OPPORTUNITY_CREATED makes the SQL
        assertThat(EnumSet.allOf(Trigger.class).stream().filter(t -> !t.implemented()))
                .containsExactly(Trigger.SALES_CONVERTED);
        assertThat(StageTable.DEFAULT)
                .extracting(StageTable.Transition::trigger)
                .containsAll(EnumSet.allOf(Trigger.class));
    }

    /** The one decision that fires {@code trigger} alone, for a prospect in {@code from}. */
    static Optional<StageChanged> fire(LifecycleStage from, Trigger trigger) {
        return switch (trigger) {
            case ENGAGING_ACTIVITY ->
                single(LIFECYCLE.onActivity(7, from, 0, null, activity(ActivityType.EMAIL_CLICK), NOW));
            case HAND_RAISE -> single(LIFECYCLE.onActivity(7, from, 0, null, activity(ActivityType.DEMO_REQUEST), NOW));
            case MQL_THRESHOLD -> LIFECYCLE.qualify(7, from, 50, Grade.C, NOW);
            case INACTIVITY -> LIFECYCLE.inactivity(7, from, NOW.minusSeconds(90L * 86_400), null, NOW);
            case FREE_MAIL_DOMAIN -> LIFECYCLE.atCapture(7, from, "someone@gmail.com", NOW);
            case COMPETITOR_DOMAIN -> LIFECYCLE.atCapture(7, from, "spy@rival.example", NOW);
            case INVALID_EMAIL -> LIFECYCLE.atCapture(7, from, "not an email", NOW);
            // the opportunity capability fires these through the table itself (the app's LifecycleTriggers)
            case OPPORTUNITY_CREATED, OPPORTUNITY_WON, ALL_OPPORTUNITIES_LOST ->
                LIFECYCLE.move(7, from, trigger, NOW, "opportunity:1");
            // inside sales fires these through the table (the app's sales actions), cause the user
            case SALES_ACCEPTED, SALES_REJECTED -> LIFECYCLE.move(7, from, trigger, NOW, "user:rep@kindling.example");
            default -> throw new IllegalArgumentException("no decision fires " + trigger);
        };
    }

    private static Optional<StageChanged> single(List<StageChanged> changes) {
        assertThat(changes).hasSizeLessThanOrEqualTo(1);
        return changes.stream().findFirst();
    }

    static Activity activity(ActivityType type) {
        return new Activity(1, type, null, NOW.minusSeconds(60), null, Map.of(), false);
    }
}
