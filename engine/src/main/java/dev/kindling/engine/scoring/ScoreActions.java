package dev.kindling.engine.scoring;

import java.time.Instant;

/** What people (and automation) do to a score by hand: reset, undo a reset, adjust. */
public final class ScoreActions {

    private ScoreActions() {}

    /**
     * Sets the score to {@code max(0, floor)} with a RESET entry; the half-life buckets are emptied (the points
     * are gone), the cap memory stays (a first-time rule still counts once). Decay due by {@code at} comes first.
     */
    public static Decay.Scored reset(ScoreState state, ScoringModel model, Instant at, String reason) {
        Work work = new Work(state, model);
        work.decayUntil(at);
        work.set(LedgerEntry.Kind.RESET, at, Math.max(0, model.floor()), reason, null);
        work.clearBuckets();
        return work.result();
    }

    /**
     * Gives back exactly what the reset {@code resetEntry} took: a RESET entry of the opposite delta, pointing at the
     * reset. Right after the reset this restores the exact previous score; later changes stay on top. Points given
     * back no longer half-life decay (their buckets were emptied by the reset).
     */
    public static Decay.Scored undoReset(
            ScoreState state,
            ScoringModel model,
            long resetEntryId,
            LedgerEntry resetEntry,
            Instant at,
            String reason) {
        if (resetEntry.kind() != LedgerEntry.Kind.RESET || resetEntry.setTo() == null) {
            throw new IllegalArgumentException("entry " + resetEntryId + " is not a reset");
        }
        Work work = new Work(state, model);
        work.decayUntil(at);
        work.restore(at, -resetEntry.delta(), reason, resetEntryId);
        return work.result();
    }

    /** A MANUAL (or AUTOMATION) change of {@code delta} points, never below the floor. */
    public static Decay.Scored adjust(
            ScoreState state, ScoringModel model, LedgerEntry.Kind kind, int delta, Instant at, String reason) {
        Work work = new Work(state, model);
        work.decayUntil(at);
        work.change(kind, at, delta, null, null, reason);
        return work.result();
    }

    /** An AUTOMATION (or MANUAL) setting of the score to {@code target}, after the decay due by {@code at}. */
    public static Decay.Scored set(
            ScoreState state, ScoringModel model, LedgerEntry.Kind kind, int target, Instant at, String reason) {
        Work work = new Work(state, model);
        work.decayUntil(at);
        work.set(kind, at, target, reason, null);
        return work.result();
    }

    /**
     * Recycling's change (see the lifecycle's recycle policy): the score set to {@code target.applyAsInt(score after
     * decay)} with a RESET entry —
     * undoable like a user's reset — after the decay due by {@code at}; the half-life buckets are emptied (the points
     * taken are gone) and the cap memory stays. Nothing is recorded when the score is already at or below the target.
     */
    public static Decay.Scored recycle(
            ScoreState state,
            ScoringModel model,
            java.util.function.IntUnaryOperator target,
            Instant at,
            String reason) {
        Work work = new Work(state, model);
        work.decayUntil(at);
        int to = target.applyAsInt(work.value());
        if (work.value() > to) {
            work.set(LedgerEntry.Kind.RESET, at, to, reason, null);
            work.clearBuckets();
        }
        return work.result();
    }
}
