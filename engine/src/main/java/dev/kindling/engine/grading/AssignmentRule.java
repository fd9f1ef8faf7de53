package dev.kindling.engine.grading;

import java.util.Objects;

/** "Prospects whose {@code condition} matches are graded with profile {@code profileId}." */
public record AssignmentRule(long id, Condition condition, long profileId) {

    public AssignmentRule {
        Objects.requireNonNull(condition, "condition");
    }
}
