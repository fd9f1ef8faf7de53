package dev.kindling.assignment;

import dev.kindling.conditions.ConditionFactsChanged;
import dev.kindling.engine.condition.ConditionReads;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Published in the writing transaction after assignments are recorded (one event per batch), so listeners (the owner
 * notice, the SLA's start) commit or roll back with them; the owner is a condition, so the watchers re-evaluate
 * the assigned prospects too.
 */
public record ProspectsAssigned(List<Assignment> assignments) implements ConditionFactsChanged {

    public ProspectsAssigned {
        assignments = List.copyOf(assignments);
    }

    @Override
    public ConditionReads changed() {
        return ConditionReads.of(ConditionReads.Fact.OWNER);
    }

    @Override
    public Set<Long> prospectIds() {
        return assignments.stream().map(Assignment::prospectId).collect(Collectors.toUnmodifiableSet());
    }
}
