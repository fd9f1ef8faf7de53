package dev.kindling.engine.intake;

import dev.kindling.engine.activity.Activity;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Keeps {@code lastActivityAt} as the latest {@code occurredAt} of the prospect's real
 * activities. Back-dated activities never move it backwards; bot activities never move it.
 */
public final class LastActivityStep implements IntakeStep {

    @Override
    public ProspectState apply(ProspectState state, Activity activity, Instant now, Consumer<IntakeEvent> events) {
        if (activity.bot()) {
            return state;
        }
        Instant last = state.lastActivityAt();
        if (last != null && !activity.occurredAt().isAfter(last)) {
            return state;
        }
        events.accept(new IntakeEvent.LastActivityAdvanced(state.prospectId(), last, activity.occurredAt()));
        return state.withLastActivityAt(activity.occurredAt());
    }
}
