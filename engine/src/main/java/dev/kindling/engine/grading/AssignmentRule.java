package dev.kindling.engine.grading;

import dev.kindling.engine.condition.Condition;

/**
 * "Prospects whose {@code condition} matches are graded with profile {@code profileId}." A rule without a condition
 * (null, or one that reads no field) is inactive and never matches.
 */
public record AssignmentRule(long id, Condition condition, long profileId) {

    public AssignmentRule {
        condition = FitConditions.orNone(condition);
    }
}
