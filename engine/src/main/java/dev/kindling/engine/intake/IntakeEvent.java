package dev.kindling.engine.intake;

import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.scoring.LedgerEntry;
import java.time.Instant;
import java.util.List;

/** What intake did to a prospect, in the past tense, for the app to persist or publish. */
public sealed interface IntakeEvent {

    long prospectId();

    /** The prospect's last activity moved forward. */
    record LastActivityAdvanced(long prospectId, Instant from, Instant to) implements IntakeEvent {}

    /** The prospect moved from one lifecycle stage to another. */
    record StageChanged(long prospectId, LifecycleStage from, LifecycleStage to, Instant at, String cause)
            implements IntakeEvent {}

    /** The prospect's score changed from {@code from} to {@code to}; the entries, in order, say how. */
    record ScoreChanged(long prospectId, int from, int to, List<LedgerEntry> entries) implements IntakeEvent {

        public ScoreChanged {
            entries = List.copyOf(entries);
        }
    }
}
