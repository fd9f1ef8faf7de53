package dev.kindling.scoring;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.intake.IntakeEvent;
import dev.kindling.engine.intake.IntakeStep;
import dev.kindling.engine.intake.ProspectState;
import dev.kindling.engine.scoring.ScoringStep;
import java.time.Instant;
import java.util.function.Consumer;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Scoring's place in intake: the engine's {@link ScoringStep} with the cached model in force. */
@Component
@Order(100)
class ScoringIntakeStep implements IntakeStep {

    private final ScoringStep step;

    ScoringIntakeStep(ScoringModels models) {
        this.step = new ScoringStep(models::current);
    }

    @Override
    public ProspectState apply(ProspectState state, Activity activity, Instant now, Consumer<IntakeEvent> events) {
        return step.apply(state, activity, now, events);
    }

    @Override
    public ProspectState settle(ProspectState state, Instant now, Consumer<IntakeEvent> events) {
        return step.settle(state, now, events);
    }
}
