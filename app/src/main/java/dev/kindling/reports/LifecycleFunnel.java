package dev.kindling.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A Prospect Lifecycle Report as answered by {@code GET /api/v1/reports/lifecycle}: the query echoed, the funnel
 * of everything selected ({@code total}) and, when broken down by a segment, one funnel per segment value (the
 * {@value LifecycleReport#MAX_SEGMENTS} largest; {@code segmentsOmitted} says how many more there were).
 */
public record LifecycleFunnel(
        LocalDate from,
        LocalDate to,
        String view,
        String model,
        String segment,
        String segmentValue,
        Instant generatedAt,
        Funnel total,
        List<SegmentFunnel> segments,
        int segmentsOmitted) {

    /**
     * One funnel: its steps in order, the velocity between consecutive steps, the current inventory per stage
     * (every prospect stage, 0 when empty) and the counts of the stages off the success path (recycled,
     * disqualified), counted like the steps.
     */
    public record Funnel(
            List<Step> steps, List<Velocity> velocity, Map<String, Long> inventory, Map<String, Long> offPath) {}

    /**
     * One step: {@code stage} is the lifecycle stage behind it (ANONYMOUS for visitors); {@code converted} how many
     * of the previous step's subjects reached this step after it (null for the first step); {@code conversionPercent}
     * is {@code converted} over the previous step's count, in percent with one decimal, so at most 100 — null ("n/a")
     * for the first step, when the previous count is 0, and when fewer than half of this step's count came through
     * the previous step (it is not the path most of them took).
     */
    public record Step(String stage, String label, long count, Long converted, Double conversionPercent) {}

    /**
     * Days between first entering {@code from} and first entering {@code to}, over the {@code prospects} that
     * reached both in that order; median and mean with two decimals, null when there are none.
     */
    public record Velocity(String from, String to, long prospects, Double medianDays, Double meanDays) {}

    /** The funnel of one value of the segment; {@code label} is its display name (a campaign's or owner's name). */
    public record SegmentFunnel(String value, String label, Funnel funnel) {}
}
