package dev.kindling.conditions;

import dev.kindling.engine.condition.ConditionReads;
import java.util.Set;

/**
 * What the condition watchers listen for: each capability whose writes change something a condition reads of a
 * prospect (activities processed, score, stage, owner, list memberships, opportunities, consent flags) publishes
 * an event of its own, named for what happened, that implements this. It is published inside the writing
 * transaction; {@link ConditionWatchers} collects the ids of the transaction and re-evaluates the watched
 * conditions for them once, just before it commits. {@code ProspectsChanged} and {@code GradesChanged} count as
 * well.
 */
public interface ConditionFactsChanged {

    /** The prospects whose facts changed. */
    Set<Long> prospectIds();

    /**
     * What changed of them, as conditions read it (the relevance index of the settling rounds, docs/conditions.md):
     * {@link ConditionReads#ALL} unless the event knows better. It may say more than changed, never less.
     */
    default ConditionReads changed() {
        return ConditionReads.ALL;
    }
}
