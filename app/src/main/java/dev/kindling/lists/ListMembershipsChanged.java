package dev.kindling.lists;

import dev.kindling.conditions.ConditionFactsChanged;
import java.util.Set;

/** Published inside the writing transaction when these prospects joined or left lists and some watched condition tests list membership. */
public record ListMembershipsChanged(Set<Long> prospectIds) implements ConditionFactsChanged {

    public ListMembershipsChanged {
        prospectIds = Set.copyOf(prospectIds);
    }
}
