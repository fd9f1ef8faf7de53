package dev.kindling.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecyclePolicyTest {

    @Test
    void byDefaultARecycledLeadStartsAgainFromZero() {
        assertThat(LifecyclePolicy.DEFAULTS.recycle()).isEqualTo(RecyclePolicy.DEFAULT);
        assertThat(RecyclePolicy.DEFAULT.scoreAfter(78, 50, 0)).isZero();
        assertThat(RecyclePolicy.DEFAULT.describe()).startsWith("RECYCLE");
    }

    @Test
    void aResetNeverGoesBelowTheScoringFloorNorRaisesALowerScore() {
        assertThat(RecyclePolicy.DEFAULT.scoreAfter(78, 50, 5)).isEqualTo(5);
        assertThat(RecyclePolicy.DEFAULT.scoreAfter(-10, 50, -20)).isEqualTo(-10);
    }

    @Test
    void subtractTakesNPointsButNotBelowTheFloor() {
        RecyclePolicy minus30 = new RecyclePolicy(RecyclePolicy.Mode.SUBTRACT, 30);
        assertThat(minus30.scoreAfter(78, 50, 0)).isEqualTo(48);
        assertThat(minus30.scoreAfter(20, 50, 0)).isZero();
        assertThat(minus30.describe()).isEqualTo("RECYCLE: -30 points");
    }

    @Test
    void requiringNewPointsLeavesTheLeadExactlyNPointsShortOfTheThreshold() {
        RecyclePolicy twenty = new RecyclePolicy(RecyclePolicy.Mode.REQUIRE_NEW_POINTS, 20);
        int after = twenty.scoreAfter(140, 50, 0);
        assertThat(after).isEqualTo(30);
        assertThat(LifecyclePolicy.DEFAULTS.qualifies(after + 19, dev.kindling.engine.grading.Grade.A))
                .isFalse();
        assertThat(LifecyclePolicy.DEFAULTS.qualifies(after + 20, dev.kindling.engine.grading.Grade.A))
                .isTrue();
        assertThat(twenty.scoreAfter(10, 50, 0)).as("a lower score is kept").isEqualTo(10);
        assertThat(new RecyclePolicy(RecyclePolicy.Mode.REQUIRE_NEW_POINTS, 80).scoreAfter(140, 50, 0))
                .isZero();
    }

    @Test
    void theModesTakePointsOnlyWhereTheyUseThem() {
        assertThatThrownBy(() -> new RecyclePolicy(RecyclePolicy.Mode.RESET, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecyclePolicy(RecyclePolicy.Mode.SUBTRACT, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecyclePolicy(RecyclePolicy.Mode.REQUIRE_NEW_POINTS, RecyclePolicy.MAX_POINTS + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
