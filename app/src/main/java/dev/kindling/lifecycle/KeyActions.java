package dev.kindling.lifecycle;

import dev.kindling.engine.intake.ProspectState;
import dev.kindling.engine.lifecycle.LifecyclePolicy;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The activity history the optional MQL condition "and did a key action within N days" needs: each prospect's latest
 * processed, human activity of the policy's key action types, in one grouped query per batch of prospects, and only
 * when the condition is on (no query at all by default). The window is bounded below, so the query reads only the
 * days that can still count (index {@code activity (prospect_id, occurred_at)}).
 */
@Component
public class KeyActions {

    private final JdbcClient jdbc;
    private final LifecycleSettings settings;

    KeyActions(JdbcClient jdbc, LifecycleSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /**
     * These intake states with their latest key action between {@code from} (null: unbounded) and {@code until} (null:
     * unbounded) — unchanged when the condition is off. Intake passes the key action window before the batch's
     * earliest activity, so every key action that can count for one of its activities is found.
     */
    public Map<Long, ProspectState> attach(Map<Long, ProspectState> states, Instant earliestActivity, Instant until) {
        LifecyclePolicy policy = settings.policy();
        if (!policy.keyActionRequired() || states.isEmpty()) {
            return states;
        }
        Map<Long, Instant> latest = latest(
                states.keySet(),
                policy,
                earliestActivity == null ? null : policy.keyActionWindowStart(earliestActivity),
                until);
        if (latest.isEmpty()) {
            return states;
        }
        Map<Long, ProspectState> out = new java.util.TreeMap<>(states);
        latest.forEach((id, at) -> out.computeIfPresent(id, (k, s) -> s.withLastKeyActionAt(at)));
        return out;
    }

    /** Each prospect's latest key action in {@code [from, until]} (either bound may be null), by prospect id. */
    Map<Long, Instant> latest(Collection<Long> ids, LifecyclePolicy policy, Instant from, Instant until) {
        Map<Long, Instant> out = new HashMap<>();
        if (ids.isEmpty() || !policy.keyActionRequired()) {
            return out;
        }
        var query = jdbc.sql("""
                        SELECT a.prospect_id, max(a.occurred_at) AS at
                          FROM activity a
                         WHERE a.prospect_id = ANY(:ids) AND a.type = ANY(:types)
                           AND a.processed_at IS NOT NULL AND a.failed_reason IS NULL AND NOT a.bot
                           AND a.id NOT IN (SELECT activity_id FROM activity_queue WHERE prospect_id = ANY(:ids))"""
                        + (from == null ? "" : " AND a.occurred_at >= :from")
                        + (until == null ? "" : " AND a.occurred_at <= :until")
                        + " GROUP BY a.prospect_id")
                .param("ids", ids.stream().sorted().distinct().toArray(Long[]::new))
                .param(
                        "types",
                        policy.mqlKeyActionTypes().stream()
                                .map(Enum::name)
                                .sorted()
                                .toArray(String[]::new));
        if (from != null) {
            query = query.param("from", Timestamp.from(from));
        }
        if (until != null) {
            query = query.param("until", Timestamp.from(until));
        }
        query.query((rs, n) -> out.put(rs.getLong(1), rs.getTimestamp(2).toInstant()))
                .list();
        return out;
    }
}
