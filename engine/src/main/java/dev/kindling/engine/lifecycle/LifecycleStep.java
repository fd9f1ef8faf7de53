package dev.kindling.engine.lifecycle;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.intake.IntakeEvent;
import dev.kindling.engine.intake.IntakeStep;
import dev.kindling.engine.intake.ProspectState;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Lifecycle's place in intake: runs after scoring, so the MQL thresholds see the score the activity gave.
 * Moves the stage as {@link Lifecycle#onActivity} decides and keeps the inactivity check due one period
 * after the last activity (none for stages inactivity does not recycle).
 */
public final class LifecycleStep implements IntakeStep {

    private final StageTable table;
    private final Supplier<LifecyclePolicy> policy;

    public LifecycleStep(StageTable table, Supplier<LifecyclePolicy> policy) {
        this.table = table;
        this.policy = policy;
    }

    @Override
    public ProspectState apply(ProspectState state, Activity activity, Instant now, Consumer<IntakeEvent> events) {
        if (activity.bot()) {
            return state;
        }
        Lifecycle lifecycle = new Lifecycle(table, policy.get());
        ProspectState next = state;
        for (IntakeEvent.StageChanged changed : lifecycle.onActivity(state.prospectId(), state.stage(),
                state.score().value(), state.grade(), activity, now)) {
            events.accept(changed);
            next = next.withStage(changed.to());
        }
        Instant check = next.lastActivityAt() == null ? next.lifecycleCheckAt()
                : lifecycle.inactivityCheckAt(next.stage(), next.lastActivityAt());
        return Objects.equals(check, next.lifecycleCheckAt()) ? next : next.withLifecycleCheckAt(check);
    }
}
