package dev.kindling.engine.grading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.condition.Operator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalsTest {

    private final Thresholds t = Thresholds.DEFAULTS;

    @Test
    void starsCountTheScoreAgainstTheMqlThreshold() {
        assertThat(t.stars(-10)).isEqualTo(1);
        assertThat(t.stars(24)).isEqualTo(1);
        assertThat(t.stars(25)).isEqualTo(2);
        assertThat(t.stars(49)).isEqualTo(2);
        assertThat(t.stars(50)).isEqualTo(3);
        assertThat(t.stars(500)).isEqualTo(3);
    }

    @Test
    void flamesCountPointsGainedRecently() {
        assertThat(t.flames(0)).isZero();
        assertThat(t.flames(9)).isZero();
        assertThat(t.flames(10)).isEqualTo(1);
        assertThat(t.flames(30)).isEqualTo(2);
        assertThat(t.flames(59)).isEqualTo(2);
        assertThat(t.flames(60)).isEqualTo(3);
    }

    @Test
    void theQuadrantCrossesFitWithInterest() {
        assertThat(t.quadrant(Grade.C, 50)).isEqualTo(Quadrant.HOT);
        assertThat(t.quadrant(Grade.A_PLUS, 49)).isEqualTo(Quadrant.NURTURE);
        assertThat(t.quadrant(Grade.C_MINUS, 80)).isEqualTo(Quadrant.SCREEN);
        assertThat(t.quadrant(Grade.F, 0)).isEqualTo(Quadrant.DISCARD);
        assertThat(t.quadrant(null, 100)).isEqualTo(Quadrant.SCREEN);
    }

    @Test
    void theFirstMatchingRuleAssignsTheProfileElseTheDefault() {
        ProfileAssignment assignment = new ProfileAssignment(
                List.of(
                        new AssignmentRule(1, FitConditionsTest.text("department", Operator.EQ, "Marketing"), 7),
                        new AssignmentRule(2, FitConditionsTest.number("employeesOrAccount", Operator.GTE, 10), 8),
                        new AssignmentRule(3, null, 9)),
                1);
        assertThat(assignment.profileFor(FitFacts.of(Map.of("department", "marketing", "employeesOrAccount", 50L))))
                .isEqualTo(7);
        assertThat(assignment.profileFor(FitFacts.of(Map.of("employeesOrAccount", 50L))))
                .isEqualTo(8);
        assertThat(assignment.profileFor(FitFacts.of(Map.of("countryOrAccount", "JP"))))
                .isEqualTo(1);
    }

    @Test
    void aRuleWhoseFieldsAreAllEmptyNeverMatchesEvenANegativeOne() {
        ProfileAssignment assignment = new ProfileAssignment(
                List.of(new AssignmentRule(1, FitConditionsTest.text("department", Operator.NE, "Sales"), 7)), 1);
        assertThat(assignment.profileFor(FitFacts.of(Map.of("jobTitle", "CEO"))))
                .isEqualTo(1);
        assertThat(assignment.profileFor(FitFacts.of(Map.of("department", "Ops"))))
                .isEqualTo(7);
    }
}
