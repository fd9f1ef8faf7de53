package dev.kindling.engine.grading;

import java.util.List;

/** A grade with its explanation: the profile that gave it and every active criterion's result, in profile order. */
public record GradedFit(Grade grade, long profileId, List<CriterionResult> explanation) {

    public GradedFit {
        explanation = List.copyOf(explanation);
    }
}
