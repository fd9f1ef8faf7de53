package dev.kindling.lifecycle;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.intake.IntakeEvent;
import dev.kindling.engine.intake.IntakeStep;
import dev.kindling.engine.intake.ProspectState;
import dev.kindling.engine.lifecycle.LifecycleStep;
import java.time.Instant;
import java.util.function.Consumer;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Lifecycle's place in intake: after scoring ({@code @Order(100)}), so the MQL thresholds see the new score. */
@Component
@Order(200)
class LifecycleIntakeStep implements IntakeStep {

    private final LifecycleStep step;

    LifecycleIntakeStep(LifecycleSettings settings) {
        this.step = new LifecycleStep(StageMoves.TABLE, settings::policy);
    }

    @Override
    public ProspectState apply(ProspectState state, Activity activity, Instant now, Consumer<IntakeEvent> events) {
        return step.apply(state, activity, now, events);
    }
}
