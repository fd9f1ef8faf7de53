package dev.kindling.lifecycle;

import dev.kindling.conditions.ConditionFactsChanged;
import dev.kindling.engine.condition.ConditionReads;
import java.util.Set;

/** Published inside the writing transaction when these prospects' stage (or inactivity check) was written outside intake. */
public record StagesMoved(Set<Long> prospectIds) implements ConditionFactsChanged {

    public StagesMoved {
        prospectIds = Set.copyOf(prospectIds);
    }

    @Override
    public ConditionReads changed() {
        return ConditionReads.of(ConditionReads.Fact.STAGE);
    }
}
