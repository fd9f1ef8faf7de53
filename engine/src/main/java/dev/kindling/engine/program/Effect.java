package dev.kindling.engine.program;

import dev.kindling.engine.automation.Action;
import java.time.Instant;

/**
 * What an advance of an enrollment produced, in order, for the app to execute and record. Every executed step has
 * exactly one {@link StepExecuted} with its idempotency key; the {@link ActionEmitted} or {@link SendSkipped} of an
 * ACTION step carries the same key. The app records the key with a unique constraint in the transaction that
 * stores the new enrollment state, and skips the effects of a key it already has: a step is never executed twice,
 * even when an advance is retried from an old state.
 */
public sealed interface Effect {

    /** The enrollment entered a step (the per-step "entered" count; visit 1 is the first time). */
    record StepEntered(String stepId, int visit, Instant at) implements Effect {}

    /** The action of an ACTION step is to be executed. */
    record ActionEmitted(String key, String stepId, Action action) implements Effect {}

    /** A send was not made because the prospect may not get marketing email; the program moves on all the same. */
    record SendSkipped(String key, String stepId, String templateId, SkipReason reason) implements Effect {}

    /** Why a send was skipped, checked in this order. */
    enum SkipReason {
        OPTED_OUT,
        HARD_BOUNCED,
        DO_NOT_EMAIL
    }

    /** A step was executed and passed on through a branch (the per-step "passed yes / no" counts). */
    record StepExecuted(String key, String stepId, int visit, Passed passed, Instant at) implements Effect {}

    /** The branch a step passed on through; {@link #END} for an END step. */
    enum Passed {
        NEXT,
        YES,
        NO,
        END
    }

    /** The enrollment's status changed (paused, resumed, completed, exited), with why. */
    record StatusChanged(Enrollment.Status from, Enrollment.Status to, String reason, Instant at) implements Effect {}
}
