package dev.kindling.intake;

import dev.kindling.conditions.ActivitiesStored;
import java.util.Set;

/**
 * Published inside the accepting transaction; the processor wakes once it has committed. {@code prospectIds}: the
 * prospects the batch named (by id, or by the email of an existing one), whether their activities were new or not: a
 * settle of the condition watchers under way in the same transaction (a program's send) reads their activities again.
 */
public record ActivitiesAccepted(int count, Set<Long> prospectIds) implements ActivitiesStored {

    public ActivitiesAccepted {
        prospectIds = Set.copyOf(prospectIds);
    }
}
