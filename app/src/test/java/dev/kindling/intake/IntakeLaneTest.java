package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IntakeLaneTest {

    @Test
    void theOnlyLaneTakesEverything() {
        assertThat(IntakeLane.ALL.condition()).isEqualTo("TRUE");
    }

    @Test
    void everyProspectIsInExactlyOneLaneAndTheFirstAlsoTakesTheActivitiesThatNameNone() {
        assertThat(new IntakeLane(0, 3).condition()).isEqualTo("(prospect_id IS NULL OR mod(prospect_id, 3) = 0)");
        assertThat(new IntakeLane(2, 3).condition()).isEqualTo("(prospect_id IS NOT NULL AND mod(prospect_id, 3) = 2)");
    }

    @Test
    void aLaneOutsideItsCountIsRefused() {
        assertThatThrownBy(() -> new IntakeLane(2, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IntakeLane(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IntakeProperties(2000, null, null, null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kindling.intake.workers");
    }
}
