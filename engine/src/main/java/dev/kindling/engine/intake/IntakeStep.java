package dev.kindling.engine.intake;

import dev.kindling.engine.activity.Activity;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * One capability's reaction to one activity of one prospect. Steps run in a fixed order for
 * every activity; each returns the prospect's next state and reports what it did as events.
 * A step must be deterministic: the same state, activity and instant give the same result.
 */
public interface IntakeStep {

    ProspectState apply(ProspectState state, Activity activity, Instant now, Consumer<IntakeEvent> events);

    /**
     * Brings the prospect from the time of its last activity up to {@code now}, after the batch's activities (time
     * that passed without activity: scoring's decay). Intake skips it while more of the prospect's activities wait in
     * the queue, so a history processed over several batches stays on its own timeline. Nothing by default.
     */
    default ProspectState settle(ProspectState state, Instant now, Consumer<IntakeEvent> events) {
        return state;
    }
}
