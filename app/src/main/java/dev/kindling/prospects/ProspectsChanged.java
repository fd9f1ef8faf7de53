package dev.kindling.prospects;

import dev.kindling.engine.condition.ConditionReads;
import java.util.Set;

/**
 * Published inside the writing transaction when prospects were created or their fields written,
 * so capabilities that derive state from fields (grading) update it in the same transaction.
 * Listeners run synchronously ({@code @EventListener}) and must work in batch over the ids.
 *
 * @param changed what changed of them as conditions read it (the condition watchers' relevance index,
 *                docs/conditions.md): {@link ConditionReads#ALL} unless the writer knows better; it may say more than
 *                changed, never less
 */
public record ProspectsChanged(Set<Long> ids, ConditionReads changed) {

    public ProspectsChanged {
        ids = Set.copyOf(ids);
    }

    /** These prospects were created, or anything of them may have changed. */
    public ProspectsChanged(Set<Long> ids) {
        this(ids, ConditionReads.ALL);
    }
}
