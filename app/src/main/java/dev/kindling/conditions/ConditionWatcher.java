package dev.kindling.conditions;

import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.ConditionReads;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Something that keeps state in step with conditions (a dynamic list's members, an automation rule's matches).
 * {@link ConditionWatchers} asks every watcher bean for its conditions, evaluates them all in memory for the
 * prospects that changed (or whose time-relative condition is due to flip), and hands each watcher the answer,
 * in the changing transaction.
 */
public interface ConditionWatcher {

    /** The conditions watched now, each under a key of the watcher's own (a list id, a rule id). */
    Map<Long, Condition> watched();

    /**
     * Brings the watcher's state in step, in batch. A watcher that changes what conditions can read of a
     * prospect (list memberships, score, fields) publishes an event of its own implementing {@link ConditionFactsChanged} for those prospects, and they
     * are evaluated again before the transaction commits.
     *
     * @param evaluated the prospects evaluated
     * @param matching  for each key of {@link #watched()}, those of {@code evaluated} that meet its condition
     * @param now       the instant the conditions were evaluated at
     */
    void apply(Set<Long> evaluated, Map<Long, Set<Long>> matching, Instant now);

    /**
     * {@link #apply(Set, Map, Instant)}, told what changed of each evaluated prospect since the settle last evaluated
     * it ({@code changed}; a prospect absent from it, and every prospect outside a settle's relevance index, changed in
     * every way): for a watcher whose work depends on the kind of change, not only on the answers. The default
     * ignores it.
     */
    default void apply(
            Set<Long> evaluated, Map<Long, Set<Long>> matching, Instant now, Map<Long, ConditionReads> changed) {
        apply(evaluated, matching, now);
    }

    /**
     * {@link #apply(Set, Map, Instant, Map)}, handed the list memberships the settle's facts load read for this
     * round's evaluated prospects ({@code lists}: each loaded prospect's list ids, empty when in no list), in this
     * transaction just before the round's watchers applied, less the prospects whose memberships a watcher earlier in
     * the round changed since (so each prospect's lists in it are its current ones; a watcher needing a prospect's
     * memberships that is not in it reads them); {@code null} when the round read none (no condition it evaluated
     * tests list membership). The default ignores it.
     */
    default void apply(
            Set<Long> evaluated,
            Map<Long, Set<Long>> matching,
            Instant now,
            Map<Long, ConditionReads> changed,
            Map<Long, Set<Long>> lists) {
        apply(evaluated, matching, now, changed);
    }

    /**
     * What the watcher's state under {@code key} depends on besides the answer of its condition, asked right after
     * {@link #watched()} on the same thread: in a settling round (docs/conditions.md, "The relevance index") the
     * watcher is handed a prospect only when one of its conditions was evaluated again for it or what this names
     * changed of it. {@link ConditionReads#ALL} hands it every prospect of every round, as before the index.
     */
    default ConditionReads dependsOn(long key) {
        return ConditionReads.NONE;
    }
}
