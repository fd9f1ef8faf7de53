package dev.kindling.grading;

import java.util.Set;

/**
 * Published inside the grading transaction after the grades of these prospects changed, so capabilities that read
 * the grade (lifecycle's MQL thresholds) follow in the same transaction. Listeners must work in batch over the ids.
 */
public record GradesChanged(Set<Long> ids) {

    public GradesChanged {
        ids = Set.copyOf(ids);
    }
}
