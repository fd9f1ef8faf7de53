package dev.kindling.conditions;

import java.util.Set;

/**
 * Activities of these prospects were stored in the current transaction ahead of their processing, which tells the
 * condition watchers of them in its own transaction ({@code ActivitiesProcessed}, a {@link ConditionFactsChanged}): a
 * program's email recorded as sent while the watchers settle, say. Nothing is evaluated for it; a settle under way
 * only stops answering these prospects' later rounds from the activities it read before (docs/conditions.md, "The
 * relevance index"). The publisher's own event implements this, as with {@link ConditionFactsChanged}; it may name
 * more prospects than got activities, never fewer.
 */
public interface ActivitiesStored {

    /** The prospects some of whose activities were stored. */
    Set<Long> prospectIds();
}
