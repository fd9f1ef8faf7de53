package dev.kindling.lifecycle;

import dev.kindling.engine.intake.IntakeEvent.StageChanged;
import dev.kindling.engine.lifecycle.Trigger;
import java.util.Collection;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Fires the triggers of the stage table that capabilities outside intake own (opportunities, sales actions), in
 * batch and in the caller's transaction. The table decides: a prospect whose stage ignores the trigger stays where
 * it is (a customer's new opportunity leaves it a customer). Every move is recorded with the caller's cause
 * ({@code opportunity:<id>}, {@code user:<email>}).
 */
@Component
public class LifecycleTriggers {

    private final StageMoves moves;

    LifecycleTriggers(StageMoves moves) {
        this.moves = moves;
    }

    /** Fires {@code trigger} for these prospects; returns the moves made (none for a prospect the table leaves). */
    public List<StageChanged> fire(Collection<Long> prospectIds, Trigger trigger, String cause) {
        if (prospectIds.isEmpty()) {
            return List.of();
        }
        return moves.fire(prospectIds, trigger, cause);
    }

    /** Fires {@code trigger} for one prospect with a user's reason (a sales reject's) kept beside the move. */
    public List<StageChanged> fire(long prospectId, Trigger trigger, String cause, String reason) {
        return moves.fire(List.of(prospectId), trigger, cause, reason);
    }
}
