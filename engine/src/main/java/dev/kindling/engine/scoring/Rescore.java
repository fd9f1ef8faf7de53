package dev.kindling.engine.scoring;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.intake.IntakeProcessor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Retroactive rescoring of one prospect: its activity history is replayed from scratch with a model, each
 * activity scored at the instant it occurred with decay applied in between and up to {@code now} — so decay is
 * re-applied, never undone. Activities up to the latest reset still in force are left out (the reset stands);
 * manual and automation changes made since are added back on top. The result is one RESCORE entry setting the
 * new score. Pure, for preview and apply alike.
 */
public final class Rescore {

    private Rescore() {}

    /**
     * @param current     the prospect's state now
     * @param activities  its processed activities, in any order
     * @param resetAt     when the latest reset in force was made, or {@code null}; earlier activities are left out
     * @param handChanges the net delta of MANUAL and AUTOMATION entries since that reset (or ever)
     */
    public static Result replay(
            ScoreState current,
            ScoringModel model,
            List<Activity> activities,
            Instant resetAt,
            int handChanges,
            Instant now) {
        List<Activity> ordered = new ArrayList<>();
        for (Activity a : activities) {
            if (!a.bot() && (resetAt == null || a.occurredAt().isAfter(resetAt))) {
                ordered.add(a);
            }
        }
        ordered.sort(IntakeProcessor.OCCURRENCE_ORDER);
        Work work = Work.fresh(model);
        for (Activity a : ordered) {
            work.score(a, a.occurredAt());
        }
        work.decayUntil(now);
        if (handChanges != 0) {
            work.change(LedgerEntry.Kind.MANUAL, now, handChanges, null, null, "hand changes");
        }
        ScoreState replayed = work.state();
        int target = replayed.value();
        LedgerEntry entry = target == current.value()
                ? null
                : new LedgerEntry(
                        LedgerEntry.Kind.RESCORE,
                        now,
                        target - current.value(),
                        target,
                        target,
                        null,
                        null,
                        "rescore with the current model",
                        null);
        return new Result(replayed, entry, current.value(), target);
    }

    /** The recomputed state, the RESCORE entry ({@code null} when the score stays) and the change. */
    public record Result(ScoreState state, LedgerEntry entry, int before, int after) {

        public int change() {
            return after - before;
        }
    }
}
