package dev.kindling.engine.intake;

import dev.kindling.engine.lifecycle.LifecycleStage;
import java.time.Instant;
import java.util.Objects;

/**
 * The part of a prospect that intake reads and writes. Later capabilities add their state here
 * (score, grade, ...), so one row load and one row update per prospect per batch stay enough.
 */
public record ProspectState(long prospectId, LifecycleStage stage, Instant lastActivityAt) {

    public ProspectState {
        Objects.requireNonNull(stage, "stage");
    }

    public ProspectState withLastActivityAt(Instant at) {
        return new ProspectState(prospectId, stage, at);
    }
}
