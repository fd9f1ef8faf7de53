package dev.kindling.engine.intake;

import dev.kindling.engine.activity.Activity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Applies a prospect's newly accepted activities, oldest first, through every intake step.
 * Pure: the caller supplies the prospect's state, the activities and the current instant.
 */
public final class IntakeProcessor {

    /** Occurrence order; the activity id breaks ties so the order is total and repeatable. */
    public static final Comparator<Activity> OCCURRENCE_ORDER =
            Comparator.comparing(Activity::occurredAt).thenComparingLong(Activity::id);

    private final List<IntakeStep> steps;

    public IntakeProcessor(List<IntakeStep> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The processor with the steps of the foundation: last activity tracking. */
    public static IntakeProcessor standard() {
        return new IntakeProcessor(List.of(new LastActivityStep()));
    }

    public Result apply(ProspectState state, List<Activity> activities, Instant now) {
        List<Activity> ordered = new ArrayList<>(activities);
        ordered.sort(OCCURRENCE_ORDER);
        List<IntakeEvent> events = new ArrayList<>();
        ProspectState current = state;
        for (Activity activity : ordered) {
            for (IntakeStep step : steps) {
                current = step.apply(current, activity, now, events::add);
            }
        }
        return new Result(current, List.copyOf(events));
    }

    /** The prospect's state after the batch, and what changed on the way. */
    public record Result(ProspectState state, List<IntakeEvent> events) {

        public boolean changed(ProspectState before) {
            return !state.equals(before);
        }
    }
}
