package dev.kindling.email;

import dev.kindling.conditions.ConditionFactsChanged;
import java.util.Set;

/** Published inside the writing transaction when these prospects were marked hard-bounced. */
public record ProspectsHardBounced(Set<Long> prospectIds) implements ConditionFactsChanged {

    public ProspectsHardBounced {
        prospectIds = Set.copyOf(prospectIds);
    }
}
