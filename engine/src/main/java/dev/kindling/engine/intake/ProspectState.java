package dev.kindling.engine.intake;

import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.scoring.ScoreState;
import java.time.Instant;
import java.util.Objects;

/**
 * The part of a prospect that intake reads and writes. Later capabilities add their state here
 * (score, grade, ...), so one row load and one row update per prospect per batch stay enough.
 *
 * @param grade            the fit grade, read by lifecycle (grading writes it outside intake); null if not graded
 * @param lifecycleCheckAt when the lifecycle's inactivity check is due; null when no check is pending
 * @param stageChangedAt   when the prospect's last stage transition (or its capture) happened: no later transition is
 *                         dated before it, so the history stays in order; null when unknown
 * @param lastKeyActionAt  the latest MQL key action (an activity of the lifecycle's key action types) known, for
 *                         "and did a key action within N days"; null when none, or when the condition is off
 */
public record ProspectState(
        long prospectId,
        LifecycleStage stage,
        Instant lastActivityAt,
        ScoreState score,
        Grade grade,
        Instant lifecycleCheckAt,
        Instant stageChangedAt,
        Instant lastKeyActionAt) {

    public ProspectState {
        Objects.requireNonNull(stage, "stage");
        if (score == null) {
            score = ScoreState.EMPTY;
        }
    }

    /** A prospect with no key action known. */
    public ProspectState(
            long prospectId,
            LifecycleStage stage,
            Instant lastActivityAt,
            ScoreState score,
            Grade grade,
            Instant lifecycleCheckAt,
            Instant stageChangedAt) {
        this(prospectId, stage, lastActivityAt, score, grade, lifecycleCheckAt, stageChangedAt, null);
    }

    /** A prospect whose last stage change is not known (no floor for the next transition's time). */
    public ProspectState(
            long prospectId,
            LifecycleStage stage,
            Instant lastActivityAt,
            ScoreState score,
            Grade grade,
            Instant lifecycleCheckAt) {
        this(prospectId, stage, lastActivityAt, score, grade, lifecycleCheckAt, null);
    }

    /** A prospect scoring knows nothing about yet. */
    public ProspectState(long prospectId, LifecycleStage stage, Instant lastActivityAt) {
        this(prospectId, stage, lastActivityAt, ScoreState.EMPTY);
    }

    /** A prospect with no grade and no lifecycle check pending. */
    public ProspectState(long prospectId, LifecycleStage stage, Instant lastActivityAt, ScoreState score) {
        this(prospectId, stage, lastActivityAt, score, null, null);
    }

    public ProspectState withLastActivityAt(Instant at) {
        return new ProspectState(
                prospectId, stage, at, score, grade, lifecycleCheckAt, stageChangedAt, lastKeyActionAt);
    }

    public ProspectState withScore(ScoreState newScore) {
        return new ProspectState(
                prospectId, stage, lastActivityAt, newScore, grade, lifecycleCheckAt, stageChangedAt, lastKeyActionAt);
    }

    public ProspectState withStage(LifecycleStage newStage) {
        return new ProspectState(
                prospectId, newStage, lastActivityAt, score, grade, lifecycleCheckAt, stageChangedAt, lastKeyActionAt);
    }

    public ProspectState withGrade(Grade newGrade) {
        return new ProspectState(
                prospectId, stage, lastActivityAt, score, newGrade, lifecycleCheckAt, stageChangedAt, lastKeyActionAt);
    }

    public ProspectState withLifecycleCheckAt(Instant at) {
        return new ProspectState(prospectId, stage, lastActivityAt, score, grade, at, stageChangedAt, lastKeyActionAt);
    }

    /** This state after a stage transition dated {@code at}. */
    public ProspectState withStageChangedAt(Instant at) {
        return new ProspectState(
                prospectId, stage, lastActivityAt, score, grade, lifecycleCheckAt, at, lastKeyActionAt);
    }

    /** This state knowing a later key action. */
    public ProspectState withLastKeyActionAt(Instant at) {
        return new ProspectState(prospectId, stage, lastActivityAt, score, grade, lifecycleCheckAt, stageChangedAt, at);
    }
}
