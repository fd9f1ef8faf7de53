package dev.kindling.engine.automation;

import java.time.Duration;
import java.time.Instant;

/**
 * How often a rule may match the same prospect (Pardot semantics). {@link #ONCE}: never again. Otherwise again
 * once {@code daysBeforeEligible} days have passed since its last match ({@code 0}: at every later evaluation
 * while it still meets the condition), at most {@code maxMatches} times in all ({@code null}: no limit).
 */
public record Repeat(boolean repeats, int daysBeforeEligible, Integer maxMatches) {

    public static final Repeat ONCE = new Repeat(false, 0, null);
    public static final int MAX_DAYS = 36_500;

    public Repeat {
        if (!repeats && (daysBeforeEligible != 0 || maxMatches != null)) {
            throw new IllegalArgumentException("a rule that matches once has no repeat settings");
        }
        if (daysBeforeEligible < 0 || daysBeforeEligible > MAX_DAYS) {
            throw new IllegalArgumentException("daysBeforeEligible must be 0.." + MAX_DAYS);
        }
        if (maxMatches != null && maxMatches < 1) {
            throw new IllegalArgumentException("maxMatches must be at least 1");
        }
    }

    public static Repeat every(int daysBeforeEligible, Integer maxMatches) {
        return new Repeat(true, daysBeforeEligible, maxMatches);
    }

    /**
     * Whether a prospect that meets the condition at {@code now} matches.
     *
     * @param matches     how many times it matched this rule before (0: never)
     * @param lastMatchAt its last match, {@code null} when none
     */
    public boolean eligible(int matches, Instant lastMatchAt, Instant now) {
        if (matches == 0) {
            return true;
        }
        if (!repeats || (maxMatches != null && matches >= maxMatches)) {
            return false;
        }
        return !lastMatchAt.plus(Duration.ofDays(daysBeforeEligible)).isAfter(now);
    }

    /** The latest last-match instant that leaves a prospect eligible at {@code now} (the same rule, set-based). */
    public Instant lastMatchNoLaterThan(Instant now) {
        return now.minus(Duration.ofDays(daysBeforeEligible));
    }
}
