package dev.kindling.reports;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.closedloop.Action;
import dev.kindling.engine.closedloop.ClosedLoop;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The closed loop's action counts, computed by the database from intake's action summary (docs/closed-loop.md, "How
 * it is computed"): each cohort prospect's actions before its cut — the facet actions and frequency bands it first did
 * before it, exactly as {@link Action#of(List)} derives them from the activities before the cut — are grouped
 * set-based, and only the counts per action, the pooled counts and the held-out prospects' actions and activities are
 * read.
 */
final class ActionQuery {

    /**
     * The cohort as the app sends it (id, cut, outcome, held out), the actions each prospect first did before its cut
     * (summary rows, index-only), then the counts; and the held-out prospects' activities before their cuts for the
     * replay (index {@code activity (prospect_id, occurred_at)}).
     *
     * <p>How it stays linear in the cohort (W7 at M, docs/closed-loop.md "How it is computed"): {@code done} reads
     * each prospect's summary rows by its own index range ({@code OFFSET 0} keeps the lateral from being flattened
     * into a join the planner would hash the whole summary table for: it cannot see that the cohort's ids are
     * distinct); the counts are one hash aggregate; and the pooled prospects are found by testing each (prospect,
     * action) pair against the hashed set of rare actions (a hashed subplan: {@code IS TRUE} keeps the {@code IN} from
     * becoming a join), not by a window over all pairs sorted by action. The action's key compares the NULLs of
     * {@code value} and {@code at_least} as {@code GROUP BY} does. The held-out activities are read the same way, by
     * each held-out prospect's range of the index on prospect and time ({@code OFFSET 0} again: at M, flattened, the
     * planner merge-joined them with all 50 million activities, sorted on disk).
     */
    private static final String COUNTS = """
            WITH ranked AS (
                SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:cuts AS timestamptz[]), CAST(:won AS boolean[]),
                                     CAST(:held AS boolean[])) AS r(id, cut, won, held)),
            done AS (
                SELECT r.id AS prospect_id, r.won, r.held, s.type, s.value, s.at_least
                  FROM ranked r CROSS JOIN LATERAL (
                        SELECT s.type, s.value, s.at_least FROM prospect_action s
                         WHERE s.prospect_id = r.id AND s.first_at < r.cut OFFSET 0) s),
            counts AS (
                SELECT type, value, at_least, count(*) AS prospects, count(*) FILTER (WHERE won) AS won,
                       count(*) FILTER (WHERE NOT held) AS train_prospects,
                       count(*) FILTER (WHERE won AND NOT held) AS train_won
                  FROM done GROUP BY type, value, at_least),
            rare AS (SELECT type, value, at_least FROM counts WHERE prospects < :min)
            SELECT 'A' AS kind, NULL::bigint AS prospect_id, type, value, at_least,
                   prospects, won, train_prospects, train_won,
                   NULL::bigint AS activity_id, NULL AS custom_name, NULL::timestamptz AS occurred_at,
                   NULL::bigint AS campaign_id, NULL AS properties
              FROM counts
            UNION ALL
            SELECT 'P', NULL, NULL, NULL, NULL, count(DISTINCT d.prospect_id),
                   count(DISTINCT d.prospect_id) FILTER (WHERE d.won), 0, 0, NULL, NULL, NULL, NULL, NULL
              FROM done d
             WHERE ((d.type, d.value IS NULL, coalesce(d.value, ''), d.at_least IS NULL, coalesce(d.at_least, 0))
                    IN (SELECT type, value IS NULL, coalesce(value, ''), at_least IS NULL, coalesce(at_least, 0)
                          FROM rare)) IS TRUE
            UNION ALL
            SELECT 'H', prospect_id, type, value, at_least, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL
              FROM done WHERE held
            UNION ALL
            SELECT 'E', r.id, a.type, NULL, NULL, 0, 0, 0, 0, a.id, a.custom_name, a.occurred_at, a.campaign_id,
                   a.properties::text
              FROM ranked r
              CROSS JOIN LATERAL (
                    SELECT a.id, a.type, a.custom_name, a.occurred_at, a.campaign_id, a.properties FROM activity a
                     WHERE a.prospect_id = r.id AND a.occurred_at < r.cut
                       AND NOT a.bot AND a.processed_at IS NOT NULL AND a.failed_reason IS NULL
                       AND NOT EXISTS (SELECT 1 FROM activity_queue q WHERE q.activity_id = a.id) OFFSET 0) a
             WHERE r.held
            """;

    /** A cohort prospect as the counting statement needs it. */
    record Member(long id, Instant cut, boolean won, boolean held) {}

    /**
     * The counts for the engine, the held-out prospects' actions, and their activities for the current model's replay
     * (both by prospect id).
     */
    record Counted(
            ClosedLoop.ActionCounts counts,
            Map<Long, Set<Action>> heldActions,
            Map<Long, List<Activity>> heldActivities) {}

    /**
     * Runs the counting statement over the cohort (sent as arrays: the cohort is read once per report, by the first
     * query): the counts, the held-out prospects' actions and their activities.
     */
    Counted count(NamedParameterJdbcTemplate jdbc, List<Member> cohort, int minProspects, JsonMapper json) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("ids", cohort.stream().map(Member::id).toArray(Long[]::new))
                .addValue(
                        "cuts",
                        cohort.stream().map(m -> Timestamp.from(m.cut())).toArray(Timestamp[]::new))
                .addValue("won", cohort.stream().map(Member::won).toArray(Boolean[]::new))
                .addValue("held", cohort.stream().map(Member::held).toArray(Boolean[]::new))
                .addValue("min", minProspects);
        List<ClosedLoop.ActionCount> actions = new ArrayList<>();
        Map<Long, Set<Action>> held = new HashMap<>();
        Map<Long, List<Activity>> activities = new HashMap<>();
        long[] pooled = new long[2];
        tools.jackson.databind.ObjectReader properties = ClosedLoopReport.properties(json);
        jdbc.query(COUNTS, params, rs -> {
            String kind = rs.getString("kind");
            if (kind.equals("E")) {
                Activity activity = ClosedLoopReport.activity(rs, "activity_id", properties);
                if (activity != null) {
                    activities
                            .computeIfAbsent(rs.getLong("prospect_id"), k -> new ArrayList<>())
                            .add(activity);
                }
                return;
            }
            if (kind.equals("P")) {
                pooled[0] = rs.getLong("prospects");
                pooled[1] = rs.getLong("won");
                return;
            }
            ActivityType type = ActivityType.parse(rs.getString("type"));
            Integer atLeast = (Integer) rs.getObject("at_least");
            Action action = atLeast == null
                    ? Action.of(type, rs.getString("value"))
                    : new Action(type, null, null, atLeast, Action.BAND_DAYS);
            if (kind.equals("A")) {
                actions.add(new ClosedLoop.ActionCount(
                        action,
                        rs.getLong("prospects"),
                        rs.getLong("won"),
                        rs.getLong("train_prospects"),
                        rs.getLong("train_won")));
            } else {
                held.computeIfAbsent(rs.getLong("prospect_id"), k -> new HashSet<>())
                        .add(action);
            }
        });
        return new Counted(new ClosedLoop.ActionCounts(actions, pooled[0], pooled[1]), held, activities);
    }
}
