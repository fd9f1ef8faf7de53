package dev.kindling.lifecycle;

import dev.kindling.engine.intake.IntakeEvent.StageChanged;
import dev.kindling.engine.lifecycle.Trigger;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The door other capabilities use to fire the table's triggers that are theirs (sales accepted, rejected,
 * converted; opportunity created, won, all lost): in the caller's transaction, the prospect's row locked, recorded
 * like every other move (history, stage reached, inactivity check, watchers).
 */
@Component
public class TriggeredMoves {

    private final StageMoves moves;

    TriggeredMoves(StageMoves moves) {
        this.moves = moves;
    }

    /** The move {@code trigger} makes for this prospect now; empty when its stage ignores the trigger. */
    public Optional<StageChanged> fire(long prospectId, Trigger trigger, String cause, String reason) {
        return moves.fire(prospectId, trigger, cause, reason);
    }
}
