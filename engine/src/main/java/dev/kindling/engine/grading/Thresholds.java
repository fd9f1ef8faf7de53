package dev.kindling.engine.grading;

import java.util.Objects;

/**
 * The lifecycle thresholds the derived signals read: the MQL score and grade, and the points
 * gained in the last 7 days that light one, two or three flames.
 */
public record Thresholds(int mqlScore, Grade mqlGrade, int oneFlame, int twoFlames, int threeFlames) {

    public static final Thresholds DEFAULTS = new Thresholds(50, Grade.C, 10, 30, 60);

    public Thresholds {
        Objects.requireNonNull(mqlGrade, "mqlGrade");
    }

    /**
     * Stars 1–3 from the score relative to the MQL score: below half of it one star, from half up
     * to it two, at or above it three.
     */
    public int stars(int score) {
        if (score >= mqlScore) {
            return 3;
        }
        return 2L * score >= mqlScore ? 2 : 1;
    }

    /** Flames 0–3 from the points gained in the last 7 days. */
    public int flames(long recentPoints) {
        if (recentPoints >= threeFlames) {
            return 3;
        }
        if (recentPoints >= twoFlames) {
            return 2;
        }
        return recentPoints >= oneFlame ? 1 : 0;
    }

    /** The quadrant of a grade (null, not graded yet, is low fit) and a score. */
    public Quadrant quadrant(Grade grade, int score) {
        return Quadrant.of(grade != null && grade.isAtLeast(mqlGrade), score >= mqlScore);
    }
}
