package dev.kindling.engine.grading;

/**
 * How one criterion contributed to a grade: its outcome, the value it saw (null when unknown) and
 * its weight; {@link #effect()} is the move in thirds (+weight, −weight or 0).
 */
public record CriterionResult(long criterionId, String label, String field, Outcome outcome, String seen, int weight) {

    public int effect() {
        return switch (outcome) {
            case MATCHED -> weight;
            case NOT_MATCHED -> -weight;
            case UNKNOWN -> 0;
        };
    }
}
