package dev.kindling.lists;

import dev.kindling.conditions.ConditionWatchers;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes list memberships in batch, in the caller's transaction: each join or leave changes {@code list_member}
 * and appends its {@code list_membership_event} in the same statement, so history and membership never disagree.
 * When some watched condition tests list membership, the prospects whose memberships changed are published as
 * {@link ListMembershipsChanged} so those conditions are re-evaluated before the commit.
 */
@Component
class Memberships {

    /** A membership to add or remove. */
    record Change(long listId, long prospectId) {}

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<ConditionWatchers> watchers;

    Memberships(JdbcClient jdbc, ApplicationEventPublisher events, ObjectProvider<ConditionWatchers> watchers) {
        this.jdbc = jdbc;
        this.events = events;
        this.watchers = watchers;
    }

    /**
     * Adds these memberships (ignoring existing ones); returns the prospects that joined. A list deleted since the
     * caller read its definition (the watchers read them when their settle starts) is left out: its rows are locked
     * {@code FOR KEY SHARE} first, so a delete either committed before (the list is skipped) or waits for this
     * transaction (and then takes the new members with the list).
     */
    List<Change> join(Collection<Change> joins, Instant at, String reason) {
        if (joins.isEmpty()) {
            return List.of();
        }
        List<Change> joined = jdbc.sql("""
                        WITH live AS (
                            SELECT id FROM list WHERE id = ANY(CAST(:lists AS bigint[])) ORDER BY id FOR KEY SHARE),
                        joined AS (
                            INSERT INTO list_member (list_id, prospect_id, since)
                            SELECT u.list_id, u.prospect_id, :at
                              FROM unnest(CAST(:lists AS bigint[]), CAST(:prospects AS bigint[])) AS u(list_id, prospect_id)
                              JOIN live ON live.id = u.list_id
                             ORDER BY u.list_id, u.prospect_id
                            ON CONFLICT DO NOTHING
                            RETURNING list_id, prospect_id)
                        INSERT INTO list_membership_event (list_id, prospect_id, at, change, reason)
                        SELECT list_id, prospect_id, :at, 'JOINED', :reason FROM joined
                        RETURNING list_id, prospect_id""")
                .param("lists", joins.stream().map(Change::listId).toArray(Long[]::new))
                .param("prospects", joins.stream().map(Change::prospectId).toArray(Long[]::new))
                .param("at", Timestamp.from(at))
                .param("reason", reason)
                .query((rs, n) -> new Change(rs.getLong(1), rs.getLong(2)))
                .list();
        changed(joined);
        return joined;
    }

    /** Removes these memberships (ignoring absent ones); returns those that left. */
    List<Change> leave(Collection<Change> leaves, Instant at, String reason) {
        if (leaves.isEmpty()) {
            return List.of();
        }
        List<Change> left = jdbc.sql("""
                        WITH left_list AS (
                            DELETE FROM list_member m
                             USING unnest(CAST(:lists AS bigint[]), CAST(:prospects AS bigint[])) AS u(list_id, prospect_id)
                             WHERE m.list_id = u.list_id AND m.prospect_id = u.prospect_id
                            RETURNING m.list_id, m.prospect_id)
                        INSERT INTO list_membership_event (list_id, prospect_id, at, change, reason)
                        SELECT list_id, prospect_id, :at, 'LEFT', :reason FROM left_list
                        RETURNING list_id, prospect_id""")
                .param("lists", leaves.stream().map(Change::listId).toArray(Long[]::new))
                .param("prospects", leaves.stream().map(Change::prospectId).toArray(Long[]::new))
                .param("at", Timestamp.from(at))
                .param("reason", reason)
                .query((rs, n) -> new Change(rs.getLong(1), rs.getLong(2)))
                .list();
        changed(left);
        return left;
    }

    /** Tells the condition watchers about changed memberships, when some watched condition can see them. */
    void changed(Collection<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        ConditionWatchers conditions = watchers.getIfAvailable();
        if (conditions != null && conditions.watchesLists()) {
            // one event per set of lists changed together, so that each prospect is said to have changed the lists it
            // joined or left, not every list of the batch: the settling rounds re-evaluate for it only the conditions
            // and watchers reading those (docs/conditions.md, "The relevance index")
            Map<Long, Set<Long>> byProspect = new HashMap<>();
            changes.forEach(c -> byProspect
                    .computeIfAbsent(c.prospectId(), p -> new java.util.TreeSet<>())
                    .add(c.listId()));
            Map<Set<Long>, Set<Long>> byLists = new HashMap<>();
            byProspect.forEach((prospect, lists) ->
                    byLists.computeIfAbsent(lists, l -> new HashSet<>()).add(prospect));
            byLists.forEach((lists, prospects) -> events.publishEvent(new ListMembershipsChanged(prospects, lists)));
        }
    }
}
