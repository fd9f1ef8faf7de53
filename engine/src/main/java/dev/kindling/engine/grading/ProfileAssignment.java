package dev.kindling.engine.grading;

import java.util.List;

/**
 * Which profile grades a prospect: the first rule, in order, whose active condition matches; else the default
 * profile. A condition whose fields are all empty is UNKNOWN and never matches a rule.
 */
public record ProfileAssignment(List<AssignmentRule> rules, long defaultProfileId) {

    public ProfileAssignment {
        rules = List.copyOf(rules);
    }

    public long profileFor(FitFacts facts) {
        for (AssignmentRule rule : rules) {
            if (rule.condition() != null && FitConditions.test(rule.condition(), facts) == Outcome.MATCHED) {
                return rule.profileId();
            }
        }
        return defaultProfileId;
    }
}
