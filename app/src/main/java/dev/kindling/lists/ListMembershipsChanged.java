package dev.kindling.lists;

import dev.kindling.conditions.ConditionFactsChanged;
import dev.kindling.engine.condition.ConditionReads;
import java.util.Set;

/** Published inside the writing transaction when these prospects joined or left lists and some watched condition tests list membership. */
public record ListMembershipsChanged(Set<Long> prospectIds, Set<Long> listIds) implements ConditionFactsChanged {

    public ListMembershipsChanged {
        prospectIds = Set.copyOf(prospectIds);
        listIds = Set.copyOf(listIds);
    }

    /** The memberships of these lists (those of the whole event: for each prospect, a superset of its own). */
    @Override
    public ConditionReads changed() {
        return ConditionReads.lists(listIds);
    }
}
