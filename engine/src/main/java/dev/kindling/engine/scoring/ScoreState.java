package dev.kindling.engine.scoring;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What scoring remembers about one prospect besides its ledger.
 *
 * @param value             the current score (the ledger's result)
 * @param activityAt        the latest activity scoring has seen; the inactivity clock runs from here
 * @param inactivityApplied the inactivity action already ran for the quiet period since {@code activityAt}
 * @param halfLifeDays      the half-life the buckets were kept with ({@code null}: none are kept)
 * @param period            the half-life period the bucket values are counted at (see {@link Decay})
 * @param buckets           activity points earned per half-life period (period index → points); held sorted, so
 *                          that {@code Work} copies it in one pass (a hashed copy, re-sorted for every prospect of
 *                          every intake batch, was a tenth of the intake thread's CPU on W1: docs/benchmarks.md)
 * @param caps              cap memory: points a capped rule already gave, by cap key ({@code ruleId:d:epochDay}
 *                          for daily caps, {@code ruleId:f:value} for first-time-only rules, {@code ruleId:n:window}
 *                          for occurrence rules); held as a {@link CapMemory}, so that a step changing one cap
 *                          costs the same however many the prospect has
 * @param nextDecayAt       when decay is next due, or {@code null} when nothing will decay
 */
public record ScoreState(
        int value,
        Instant activityAt,
        boolean inactivityApplied,
        Integer halfLifeDays,
        long period,
        Map<Long, Integer> buckets,
        Map<String, Integer> caps,
        Instant nextDecayAt) {

    /** A prospect nobody scored yet. */
    public static final ScoreState EMPTY = new ScoreState(0, null, false, null, 0, Map.of(), Map.of(), null);

    public ScoreState {
        buckets = buckets == null || buckets.isEmpty() ? Map.of() : sorted(buckets);
        caps = caps == null ? CapMemory.EMPTY : CapMemory.of(caps);
    }

    /** The same state holding another score. */
    public ScoreState withValue(int newValue) {
        return new ScoreState(
                newValue, activityAt, inactivityApplied, halfLifeDays, period, buckets, caps, nextDecayAt);
    }

    /** The same state with other cap memory (e.g. loaded separately). */
    public ScoreState withCaps(Map<String, Integer> newCaps) {
        return new ScoreState(
                value, activityAt, inactivityApplied, halfLifeDays, period, buckets, newCaps, nextDecayAt);
    }

    /** An unmodifiable sorted copy; as {@link Map#copyOf}, no {@code null} key or value. */
    private static SortedMap<Long, Integer> sorted(Map<Long, Integer> buckets) {
        TreeMap<Long, Integer> copy = new TreeMap<>(buckets);
        copy.forEach((k, v) -> Objects.requireNonNull(v));
        return Collections.unmodifiableSortedMap(copy);
    }
}
