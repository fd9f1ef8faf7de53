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
 *
 * <p>Moves are dated at the activity's time ({@link Lifecycle#activityTime}). When the pending inactivity check fell
 * due before the activity happened — a back-dated batch with a silence longer than the period — the prospect is first
 * recycled as of that instant ({@link Lifecycle#inactivityBefore}), so imported history reads as it happened:
 * … → RECYCLED at last activity + period → ENGAGED (→ MQL) at the activity.
 *
 * <p>With the MQL key action condition on, the state carries the latest key action (intake loads it from the
 * prospect's processed activities); a key action activity updates it before the thresholds are checked, so the
 * activity that is the key action can itself qualify.
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
        var recycled = lifecycle.inactivityBefore(
                state.prospectId(), state.stage(), state.lifecycleCheckAt(), state.stageChangedAt(), activity, now);
        if (recycled.isPresent()) {
            events.accept(recycled.get());
            next = next.withStage(recycled.get().to())
                    .withStageChangedAt(recycled.get().at());
        }
        Instant at = Lifecycle.activityTime(activity, next.stageChangedAt(), now);
        Instant keyAction = next.lastKeyActionAt();
        if (lifecycle.policy().isKeyAction(activity.type())) {
            // the activity is a key action at its own time, whatever later one an out-of-order history knows already
            keyAction = activity.occurredAt().isAfter(now) ? now : activity.occurredAt();
            if (next.lastKeyActionAt() == null || keyAction.isAfter(next.lastKeyActionAt())) {
                next = next.withLastKeyActionAt(keyAction);
            }
        }
        for (IntakeEvent.StageChanged changed : lifecycle.onActivity(
                next.prospectId(), next.stage(), next.score().value(), next.grade(), keyAction, activity, at)) {
            events.accept(changed);
            next = next.withStage(changed.to()).withStageChangedAt(changed.at());
        }
        Instant check = next.lastActivityAt() == null
                ? next.lifecycleCheckAt()
                : lifecycle.inactivityCheckAt(next.stage(), next.lastActivityAt());
        return Objects.equals(check, next.lifecycleCheckAt()) ? next : next.withLifecycleCheckAt(check);
    }
}
