package dev.kindling.prospects;

import java.util.Set;

/**
 * Published inside the writing transaction when prospects were created or their fields written,
 * so capabilities that derive state from fields (grading) update it in the same transaction.
 * Listeners run synchronously ({@code @EventListener}) and must work in batch over the ids.
 */
public record ProspectsChanged(Set<Long> ids) {

    public ProspectsChanged {
        ids = Set.copyOf(ids);
    }
}
