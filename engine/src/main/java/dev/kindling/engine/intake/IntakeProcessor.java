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

    /** The activities, then {@link #settle}: the prospect as it stands at {@code now}. */
    public Result apply(ProspectState state, List<Activity> activities, Instant now) {
        return settle(applyUnsettled(state, activities, now), now);
    }

    /**
     * The activities in occurrence order through every step, each seeing the prospect as of that activity; what
     * falls due after the last of them (decay) is left for {@link #settle}. Intake calls it directly when more of the
     * prospect's activities wait in the queue, so the next batch continues the same timeline.
     */
    public Result applyUnsettled(ProspectState state, List<Activity> activities, Instant now) {
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

    /** Every step's {@link IntakeStep#settle} up to {@code now}, after {@code result}. */
    public Result settle(Result result, Instant now) {
        List<IntakeEvent> events = new ArrayList<>(result.events());
        ProspectState current = result.state();
        for (IntakeStep step : steps) {
            current = step.settle(current, now, events::add);
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
