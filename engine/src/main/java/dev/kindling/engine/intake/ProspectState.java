package dev.kindling.engine.intake;

import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.scoring.ScoreState;
import java.time.Instant;
import java.util.Objects;

/**
 * The part of a prospect that intake reads and writes. Later capabilities add their state here
 * (score, grade, ...), so one row load and one row update per prospect per batch stay enough.
 */
public record ProspectState(long prospectId, LifecycleStage stage, Instant lastActivityAt, ScoreState score) {

    public ProspectState {
        Objects.requireNonNull(stage, "stage");
        if (score == null) {
            score = ScoreState.EMPTY;
        }
    }

    /** A prospect scoring knows nothing about yet. */
    public ProspectState(long prospectId, LifecycleStage stage, Instant lastActivityAt) {
        this(prospectId, stage, lastActivityAt, ScoreState.EMPTY);
    }

    public ProspectState withLastActivityAt(Instant at) {
        return new ProspectState(prospectId, stage, at, score);
    }

    public ProspectState withScore(ScoreState newScore) {
        return new ProspectState(prospectId, stage, lastActivityAt, newScore);
    }
}
