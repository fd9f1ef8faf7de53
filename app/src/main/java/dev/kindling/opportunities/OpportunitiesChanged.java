package dev.kindling.opportunities;

import dev.kindling.conditions.ConditionFactsChanged;
import java.util.Set;

/** Published inside the writing transaction when opportunities or contact roles of these prospects changed. */
public record OpportunitiesChanged(Set<Long> prospectIds) implements ConditionFactsChanged {

    public OpportunitiesChanged {
        prospectIds = Set.copyOf(prospectIds);
    }
}
