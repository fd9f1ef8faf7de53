package dev.kindling.engine.scoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Time-driven decay, exactly:
 *
 * <ul>
 * <li><b>Inactivity</b>: when {@code activityAt + inactivityDays} is reached, once per quiet period, the score is
 * set to {@code max(0, floor)} (and the half-life buckets are emptied) or lowered by {@code subtractPoints}. A new
 * activity starts a new quiet period.</li>
 * <li><b>Half-life</b> with H days: time is cut into periods of H days counted from 1970-01-01T00:00Z. The
 * activity points earned (by occurrence) in period {@code e}, summed as {@code P(e)}, are worth
 * {@code P(e) / 2^(m − e)} (integer division, towards zero) during period {@code m}. At each period boundary one
 * DECAY entry takes the difference. A point is thus halved for the first time between 0 and H days after it was
 * earned, then every H days.</li>
 * <li>No decay entry ever takes the score below the floor; a decay that would changes it only down to the floor.</li>
 * </ul>
 *
 * Changing H starts new buckets: points kept under another H no longer half-life decay until a rescore.
 */
public final class Decay {

    static final long DAY_SECONDS = 86_400;
    /** Beyond 31 halvings every int bucket is worth 0. */
    static final int MAX_HALVINGS = 31;

    private Decay() {}

    /** The decay entries due up to {@code until} and the state after them (with {@link ScoreState#nextDecayAt}). */
    public static Scored due(ScoreState state, ScoringModel model, Instant until) {
        Work work = new Work(state, model);
        work.decayUntil(until);
        return work.result();
    }

    /** The period an instant falls in, for a half-life of {@code halfLifeDays}. */
    public static long period(Instant at, int halfLifeDays) {
        return Math.floorDiv(at.getEpochSecond(), halfLifeDays * DAY_SECONDS);
    }

    static Instant periodStart(long period, int halfLifeDays) {
        return Instant.ofEpochSecond(period * halfLifeDays * DAY_SECONDS);
    }

    /** {@code points} halved {@code halvings} times, towards zero. */
    static int halved(long points, long halvings) {
        return halvings >= MAX_HALVINGS ? 0 : (int) (points / (1L << halvings));
    }

    /** Σ over buckets of their value at {@code period}. */
    static long worth(Map<Long, Integer> buckets, long period) {
        long sum = 0;
        for (Map.Entry<Long, Integer> b : buckets.entrySet()) {
            sum += halved(b.getValue(), period - b.getKey());
        }
        return sum;
    }

    /** The state and the ledger entries that led to it. */
    public record Scored(ScoreState state, List<LedgerEntry> entries) {

        public Scored {
            entries = List.copyOf(entries);
        }

        public boolean changed() {
            return !entries.isEmpty();
        }
    }

    static List<LedgerEntry> list() {
        return new ArrayList<>();
    }
}
