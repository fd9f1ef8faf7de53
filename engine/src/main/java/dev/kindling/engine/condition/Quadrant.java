package dev.kindling.engine.condition;

/**
 * Fit × interest (SPEC §4): fit is high when the grade is at least the MQL grade threshold (an
 * ungraded prospect is not), interest is high when the score is at least the MQL score threshold.
 */
public enum Quadrant {
    HOT,
    NURTURE,
    SCREEN,
    DISCARD;

    /** The lifecycle settings a quadrant is computed with. */
    public record Thresholds(int score, String grade) {

        public Thresholds {
            if (!GradeOrder.isGrade(grade)) {
                throw new IllegalArgumentException("not a grade: " + grade);
            }
        }

        public static Thresholds defaults() {
            return new Thresholds(50, "C");
        }

        public boolean fitHigh(String prospectGrade) {
            return GradeOrder.rank(prospectGrade) >= GradeOrder.rank(grade);
        }

        public boolean interestHigh(int prospectScore) {
            return prospectScore >= score;
        }
    }

    public static Quadrant of(int score, String grade, Thresholds thresholds) {
        return of(thresholds.fitHigh(grade), thresholds.interestHigh(score));
    }

    public static Quadrant of(boolean fitHigh, boolean interestHigh) {
        if (fitHigh) {
            return interestHigh ? HOT : NURTURE;
        }
        return interestHigh ? SCREEN : DISCARD;
    }

    public boolean fitHigh() {
        return this == HOT || this == NURTURE;
    }

    public boolean interestHigh() {
        return this == HOT || this == SCREEN;
    }
}
