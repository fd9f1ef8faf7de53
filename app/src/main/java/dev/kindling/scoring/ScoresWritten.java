package dev.kindling.scoring;

import dev.kindling.conditions.ConditionFactsChanged;
import dev.kindling.engine.condition.ConditionReads;
import java.util.Set;

/** Published inside the writing transaction when these prospects' scores were written outside intake (decay, adjust, reset, rescoring). */
public record ScoresWritten(Set<Long> prospectIds) implements ConditionFactsChanged {

    public ScoresWritten {
        prospectIds = Set.copyOf(prospectIds);
    }

    /** The score alone: a stage the score moves is told by its own event. */
    @Override
    public ConditionReads changed() {
        return ConditionReads.of(ConditionReads.Fact.SCORE);
    }
}
