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
}
