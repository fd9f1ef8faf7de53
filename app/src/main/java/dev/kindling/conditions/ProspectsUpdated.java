package dev.kindling.conditions;

import java.util.Set;

/**
 * Published inside a writing transaction when something a condition can read of these prospects changed
 * (activities processed, score, stage, list memberships, ...). {@link ConditionWatchers} collects the ids of
 * the transaction and re-evaluates the watched conditions for them once, just before it commits.
 * {@code ProspectsChanged} and {@code GradesChanged} count as well; their publishers need not publish this too.
 */
public record ProspectsUpdated(Set<Long> ids) {

    public ProspectsUpdated {
        ids = Set.copyOf(ids);
    }
}
