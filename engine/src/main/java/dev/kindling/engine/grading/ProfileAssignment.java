package dev.kindling.engine.grading;

import java.util.List;

/**
 * Which profile grades a prospect: the first rule, in order, whose active condition matches; else
 * the default profile. An unknown field never matches a rule.
 */
public record ProfileAssignment(List<AssignmentRule> rules, long defaultProfileId) {

    public ProfileAssignment {
        rules = List.copyOf(rules);
    }

    public long profileFor(FitFacts facts) {
        for (AssignmentRule rule : rules) {
            if (rule.condition().isActive() && rule.condition().test(facts) == Outcome.MATCHED) {
                return rule.profileId();
            }
        }
        return defaultProfileId;
    }
}
