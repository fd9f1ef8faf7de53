package dev.kindling.engine.scoring;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of a prospect's score. Folding a prospect's entries in order — {@code setTo} when
 * present, else adding {@code delta} — gives its score; {@code result} is the score after this
 * entry, and {@code delta} is always the effective change ({@code result} minus the score before).
 *
 * @param at        when the change took effect: the processing instant for activities and user actions, the
 *                  instant a decay fell due for decay
 * @param ruleId    the rule that gave the points ({@link Kind#ACTIVITY}), else {@code null}
 * @param activityId the activity that caused it, else {@code null}
 * @param reason    a short explanation: the rule, the policy, the user and their note
 * @param undoes    for the entry that undoes a reset: that reset entry's id
 */
public record LedgerEntry(
        Kind kind,
        Instant at,
        int delta,
        Integer setTo,
        int result,
        Long ruleId,
        Long activityId,
        String reason,
        Long undoes) {

    /** Why a score changed. */
    public enum Kind {
        ACTIVITY,
        DECAY,
        RESET,
        MANUAL,
        AUTOMATION,
        RESCORE,
        MERGE
    }

    public LedgerEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }

    /** The score after this entry, given the score before it. */
    public int applyTo(int before) {
        return setTo != null ? setTo : before + delta;
    }
}
