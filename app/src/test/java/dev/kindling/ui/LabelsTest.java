package dev.kindling.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.lifecycle.LifecycleStage;
import org.junit.jupiter.api.Test;

class LabelsTest {

    private final Labels labels = new Labels();

    @Test
    void enumNamesReadAsWordsAndTheFunnelsAcronymsStay() {
        assertThat(labels.of(LifecycleStage.DISQUALIFIED)).isEqualTo("Disqualified");
        assertThat(labels.of("INSIDE_SALES")).isEqualTo("Inside sales");
        assertThat(labels.of("NO_DECISION")).isEqualTo("No decision");
        assertThat(labels.of("MQL")).isEqualTo("MQL");
        assertThat(labels.of("SQL")).isEqualTo("SQL");
        assertThat(labels.of("already Human")).isEqualTo("already Human");
        assertThat(labels.of(null)).isEmpty();
    }
}
