package dev.kindling.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.lifecycle.LifecycleStage;
import org.junit.jupiter.api.Test;

class LifecycleMergeStepTest {

    @Test
    void theMergedStageIsTheFurthestOnTheSuccessPathWhicheverSurvives() {
        for (LifecycleStage a : LifecycleStage.values()) {
            for (LifecycleStage b : LifecycleStage.values()) {
                assertThat(LifecycleMergeStep.furthest(a, b))
                        .as(a + " + " + b)
                        .isEqualTo(LifecycleMergeStep.furthest(b, a));
            }
        }
        assertThat(LifecycleMergeStep.furthest(LifecycleStage.MQL, LifecycleStage.ENGAGED))
                .isEqualTo(LifecycleStage.MQL);
        assertThat(LifecycleMergeStep.furthest(LifecycleStage.CAPTURED, LifecycleStage.CUSTOMER))
                .isEqualTo(LifecycleStage.CUSTOMER);
        assertThat(LifecycleMergeStep.furthest(LifecycleStage.RECYCLED, LifecycleStage.CAPTURED))
                .as("on the path beats off it")
                .isEqualTo(LifecycleStage.CAPTURED);
        assertThat(LifecycleMergeStep.furthest(LifecycleStage.DISQUALIFIED, LifecycleStage.SQL))
                .isEqualTo(LifecycleStage.SQL);
        assertThat(LifecycleMergeStep.furthest(LifecycleStage.RECYCLED, LifecycleStage.DISQUALIFIED))
                .isEqualTo(LifecycleStage.DISQUALIFIED);
    }
}
