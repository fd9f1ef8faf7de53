package dev.kindling.lifecycle;

import dev.kindling.engine.lifecycle.LifecycleStage;
import java.util.Collection;
import org.springframework.stereotype.Component;

/**
 * Stage moves made by automation (rules and completion actions), in batch and in the caller's transaction: each is
 * recorded as a transition with the automation's cause ({@code rule:<id>}, {@code form:<key>}), like a manual move.
 */
@Component
public class AutomatedStageMoves {

    private final StageMoves moves;

    AutomatedStageMoves(StageMoves moves) {
        this.moves = moves;
    }

    /** Moves the prospects not yet in {@code to} there; returns how many moved. */
    public int move(Collection<Long> prospectIds, LifecycleStage to, String cause) {
        if (!dev.kindling.engine.lifecycle.Lifecycle.MANUAL_TARGETS.contains(to)) {
            throw new IllegalArgumentException("a prospect cannot be moved to " + to);
        }
        return moves.automated(prospectIds, to, cause);
    }
}
