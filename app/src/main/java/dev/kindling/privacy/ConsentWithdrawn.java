package dev.kindling.privacy;

import dev.kindling.conditions.ConditionFactsChanged;
import java.util.Set;

/** Published inside the writing transaction when a withdrawn consent opted these prospects out of marketing email. */
public record ConsentWithdrawn(Set<Long> prospectIds) implements ConditionFactsChanged {

    public ConsentWithdrawn {
        prospectIds = Set.copyOf(prospectIds);
    }
}
