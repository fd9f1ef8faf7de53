package dev.kindling.lifecycle;

import dev.kindling.conditions.ConditionFactsChanged;
import java.util.Set;

/** Published inside the writing transaction when these prospects' stage (or inactivity check) was written outside intake. */
public record StagesMoved(Set<Long> prospectIds) implements ConditionFactsChanged {

    public StagesMoved {
        prospectIds = Set.copyOf(prospectIds);
    }
}
