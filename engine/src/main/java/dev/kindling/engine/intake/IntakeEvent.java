package dev.kindling.engine.intake;

import dev.kindling.engine.lifecycle.LifecycleStage;
import java.time.Instant;

/** What intake did to a prospect, in the past tense, for the app to persist or publish. */
public sealed interface IntakeEvent {

    long prospectId();

    /** The prospect's last activity moved forward. */
    record LastActivityAdvanced(long prospectId, Instant from, Instant to) implements IntakeEvent {
    }

    /** The prospect moved from one lifecycle stage to another. */
    record StageChanged(long prospectId, LifecycleStage from, LifecycleStage to, Instant at, String cause)
            implements IntakeEvent {
    }
}
