package dev.kindling.engine.grading;

/**
 * Fit × interest. Fit is high when the grade is at least the MQL grade threshold, interest when
 * the score is at least the MQL score threshold.
 */
public enum Quadrant {
    /** Fit high, interest high: to sales within 24 hours. */
    HOT,
    /** Fit high, interest low: marketing keeps nurturing. */
    NURTURE,
    /** Fit low, interest high: inside sales screens at low cost. */
    SCREEN,
    /** Fit low, interest low: excluded from sales and most sends. */
    DISCARD;

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
