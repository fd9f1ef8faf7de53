package dev.kindling.engine.closedloop;

import java.util.List;

/**
 * The closed loop's arithmetic, each rule written once (and in docs/closed-loop.md).
 */
public final class Stats {

    /** Prior prospects at the average close rate that a group's close rate is shrunk with before it gives points. */
    public static final int PRIOR_PROSPECTS = 10;
    /** Points per doubling of the (shrunk) lift. */
    public static final int POINTS_PER_DOUBLING = 20;

    public static final int MIN_SUGGESTED = -20;
    public static final int MAX_SUGGESTED = 50;
    /** The MQL threshold rule: prospects at or above it close at this many times the average. */
    public static final double THRESHOLD_LIFT = 2.0;
    /** Fewer won (or not-won) held-out prospects than this: the validation is not to be trusted. */
    public static final int MIN_OUTCOMES = 10;

    private Stats() {}

    /** won / prospects; 0 for an empty group. */
    public static double closeRate(long won, long prospects) {
        return prospects == 0 ? 0 : (double) won / prospects;
    }

    /** closeRate / average, or {@code null} when the average is 0 (nobody won: no lift can be told). */
    public static Double lift(double closeRate, double average) {
        return average == 0 ? null : closeRate / average;
    }

    /**
     * Suggested points: the group's close rate is shrunk towards the average as if {@value #PRIOR_PROSPECTS} more
     * prospects had closed at the average (so 3 wins out of 5 do not outweigh 30 out of 100), then
     * {@code points = round(20 × log2(shrunk lift))}, capped to −20..50. Nobody won in the cohort: 0.
     */
    public static int suggestedPoints(long won, long prospects, double average) {
        if (average == 0) {
            return 0;
        }
        double shrunk = (won + PRIOR_PROSPECTS * average) / (prospects + PRIOR_PROSPECTS);
        double points = POINTS_PER_DOUBLING * Math.log(shrunk / average) / Math.log(2);
        if (Double.isInfinite(points) || points < MIN_SUGGESTED) {
            return MIN_SUGGESTED;
        }
        return (int) Math.min(MAX_SUGGESTED, Math.round(points));
    }

    /** A scored prospect and its outcome. */
    public record Scored(double score, boolean won) {}

    /**
     * The AUC: the probability that a won prospect outranks a not-won one (ties count half), by ranks
     * (Mann–Whitney). {@code null} without at least one of each.
     */
    public static Double auc(List<Scored> scored) {
        List<Scored> sorted = scored.stream()
                .sorted(java.util.Comparator.comparingDouble(Scored::score))
                .toList();
        long won = sorted.stream().filter(Scored::won).count();
        long lost = sorted.size() - won;
        if (won == 0 || lost == 0) {
            return null;
        }
        double rankSum = 0;
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j < sorted.size() && sorted.get(j).score() == sorted.get(i).score()) {
                j++;
            }
            double rank = (i + 1 + j) / 2.0; // mean of ranks i+1..j
            for (int k = i; k < j; k++) {
                if (sorted.get(k).won()) {
                    rankSum += rank;
                }
            }
            i = j;
        }
        return (rankSum - won * (won + 1) / 2.0) / ((double) won * lost);
    }

    /** A score band's lower edge and its prospects (score at the cut) and won prospects. */
    public record Band(int from, long prospects, long won) {}

    /**
     * The suggested MQL threshold: the lowest band edge L such that the prospects scoring at least L close at
     * ≥ {@value #THRESHOLD_LIFT} × the average and number at least {@code minProspects}; {@code null} when no edge
     * qualifies. {@code bands} in ascending order of {@code from}.
     */
    public static Integer threshold(List<Band> bands, double average, int minProspects) {
        if (average == 0) {
            return null;
        }
        for (int i = 0; i < bands.size(); i++) {
            long prospects = 0;
            long won = 0;
            for (int k = i; k < bands.size(); k++) {
                prospects += bands.get(k).prospects();
                won += bands.get(k).won();
            }
            if (prospects >= minProspects && prospects > 0 && closeRate(won, prospects) >= THRESHOLD_LIFT * average) {
                return bands.get(i).from();
            }
        }
        return null;
    }

    /** The grading weight a fit value's lift earns: 3 at ≥ 3×, 2 at ≥ 2×, 1 at ≥ 1.5×, else none (0). */
    public static int criterionWeight(Double lift) {
        if (lift == null) {
            return 0;
        }
        double l = lift + 1e-9; // 0.6 / 0.4 is 1.4999999999999998 in doubles
        return l >= 3 ? 3 : l >= 2 ? 2 : l >= 1.5 ? 1 : 0;
    }
}
