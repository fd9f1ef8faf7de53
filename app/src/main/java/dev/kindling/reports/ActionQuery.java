package dev.kindling.reports;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.closedloop.Action;
import dev.kindling.engine.closedloop.ClosedLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The closed loop's action counts, computed by the database (docs/closed-loop.md, "How it is computed"): each cohort
 * prospect's distinct actions before its cut (facet actions and frequency bands, exactly as {@link Action#of(List)}
 * derives them) are grouped set-based, and only the counts per action, the pooled counts and the held-out prospects'
 * actions and activities are read.
 */
final class ActionQuery {

    /**
     * Appended to the cohort CTE: each prospect with its cut, outcome, and whether it is held out — the newest
     * {@code 1 − share} by capture time, then id, as {@link ClosedLoop#holdout} picks them.
     */
    static final String HELD = """
            , ranked AS (
                SELECT c.id, c.cut, c.won,
                       row_number() OVER (ORDER BY c.captured_at, c.id)
                           > floor(count(*) OVER () * CAST(:share AS float8)) AS held
                  FROM cohort c)
            """;

    /** Whitespace as Java's {@code String.strip} sees it ({@code Character.isWhitespace}), as a regex class. */
    private static final String WS =
            "[\\t\\n\\u000b\\f\\r\\u001c-\\u001f \\u1680\\u2000-\\u2006\\u2008-\\u200a\\u2028\\u2029\\u205f\\u3000]";

    /** The frequency bands as a VALUES list (engine constants, no input). */
    private static final String BANDS = Action.BANDS.entrySet().stream()
            .flatMap(e -> e.getValue().stream().map(n -> "('" + e.getKey().name() + "', " + n + ")"))
            .collect(Collectors.joining(", ", "(VALUES ", ")"));

    /**
     * The facet value of an activity ({@code raw}; a URL before normalisation), the distinct ones per prospect, the
     * distinct URLs of the cohort normalised once each as {@code Action.path} does, the bands reached per prospect,
     * then the counts.
     */
    private static final String COUNTS = HELD
            + """
            , acts AS (
                SELECT r.id AS prospect_id, r.won, r.held, a.type, a.occurred_at,
                       CASE WHEN r.held THEN a.id END AS activity_id,
                       CASE WHEN r.held THEN a.custom_name END AS custom_name,
                       CASE WHEN r.held THEN a.campaign_id END AS campaign_id,
                       CASE WHEN r.held THEN a.properties::text END AS properties,
                       CASE WHEN a.type = 'PAGE_VIEW' THEN a.properties ->> 'url'
                            WHEN a.type = 'TRACKED_LINK_CLICK' THEN a.properties ->> 'linkUrl'
                            WHEN a.type IN ('FORM_SUBMIT', 'FORM_ERROR') THEN a.properties ->> 'formName'
                            WHEN a.type = 'FILE_DOWNLOAD' THEN a.properties ->> 'assetName'
                            WHEN a.type IN ('EMAIL_OPEN', 'EMAIL_CLICK') THEN a.properties ->> 'emailId'
                            WHEN a.type IN ('WEBINAR_REGISTERED', 'WEBINAR_ATTENDED', 'EVENT_ATTENDED')
                                THEN a.campaign_id::text
                            WHEN a.type = 'CUSTOM' THEN a.custom_name
                       END AS raw
                  FROM ranked r JOIN activity a ON a.prospect_id = r.id
                 WHERE NOT a.bot AND a.processed_at IS NOT NULL AND a.occurred_at < r.cut AND (r.held OR a.type IN (:types))),
            raws AS (SELECT DISTINCT prospect_id, won, held, type, raw FROM acts WHERE type IN (:types)),
            paths AS (
                SELECT u.raw,
                       CASE WHEN x1.s IS NOT NULL
                            THEN coalesce(nullif(regexp_replace(lower(x3.s), '/+$', ''), ''), '/') END AS path
                  FROM (SELECT DISTINCT raw FROM raws
                         WHERE type IN ('PAGE_VIEW', 'TRACKED_LINK_CLICK') AND raw IS NOT NULL) u
                 CROSS JOIN LATERAL (SELECT nullif(regexp_replace(u.raw, '^WS+|WS+$', '', 'g'), '') AS s) x1
                 CROSS JOIN LATERAL (SELECT substring(x1.s FROM '^[^?#]*') AS s) x2
                 CROSS JOIN LATERAL (
                        SELECT CASE WHEN position('://' IN x2.s) = 0 THEN x2.s
                                    ELSE coalesce(substring(substr(x2.s, position('://' IN x2.s) + 3) FROM '/.*$'), '')
                               END AS s) x3),
            facets AS (
                SELECT DISTINCT d.prospect_id, d.won, d.held, d.type,
                       CASE WHEN d.type IN ('PAGE_VIEW', 'TRACKED_LINK_CLICK') THEN p.path ELSE d.raw END AS value
                  FROM raws d
                  LEFT JOIN paths p ON d.type IN ('PAGE_VIEW', 'TRACKED_LINK_CLICK') AND p.raw = d.raw),
            bands AS (
                SELECT w.prospect_id, w.won, w.held, w.type, max(w.n) AS most
                  FROM (SELECT prospect_id, won, held, type, count(*) AS n
                          FROM acts
                         WHERE type IN (SELECT t FROM BANDS e(t, n))
                         GROUP BY prospect_id, won, held, type, floor(extract(epoch FROM occurred_at) / WINDOW)) w
                 GROUP BY w.prospect_id, w.won, w.held, w.type),
            done AS (
                SELECT prospect_id, won, held, type, value, NULL::int AS at_least FROM facets
                UNION ALL
                SELECT b.prospect_id, b.won, b.held, b.type, NULL, e.n
                  FROM bands b JOIN BANDS e(t, n) ON e.t = b.type AND b.most >= e.n),
            counted AS (SELECT d.*, count(*) OVER (PARTITION BY type, value, at_least) AS doers FROM done d)
            SELECT 'A' AS kind, NULL::bigint AS prospect_id, type, value, at_least,
                   count(*) AS prospects, count(*) FILTER (WHERE won) AS won,
                   count(*) FILTER (WHERE NOT held) AS train_prospects,
                   count(*) FILTER (WHERE won AND NOT held) AS train_won,
                   NULL::bigint AS activity_id, NULL AS custom_name, NULL::timestamptz AS occurred_at,
                   NULL::bigint AS campaign_id, NULL AS properties
              FROM done GROUP BY type, value, at_least
            UNION ALL
            SELECT 'P', NULL, NULL, NULL, NULL, count(DISTINCT prospect_id),
                   count(DISTINCT prospect_id) FILTER (WHERE won), 0, 0, NULL, NULL, NULL, NULL, NULL
              FROM counted WHERE doers < :min
            UNION ALL
            SELECT 'H', prospect_id, type, value, at_least, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL
              FROM done WHERE held
            UNION ALL
            SELECT 'E', prospect_id, type, NULL, NULL, 0, 0, 0, 0, activity_id, custom_name, occurred_at,
                   campaign_id, properties
              FROM acts WHERE held
            """.replace("WS", WS)
                    .replace("BANDS", BANDS)
                    .replace("WINDOW", Long.toString(Action.BAND_DAYS * 86_400L));

    /**
     * The counts for the engine, the held-out prospects' actions, and their activities for the current model's replay
     * (both by prospect id).
     */
    record Counted(
            ClosedLoop.ActionCounts counts,
            Map<Long, Set<Action>> heldActions,
            Map<Long, List<Activity>> heldActivities) {}

    /**
     * Runs the counting statement (parameters: start, end, share, types, min) after the cohort CTE: one pass over the
     * cohort's activities gives the counts, the held-out prospects' actions and their activities.
     */
    Counted count(NamedParameterJdbcTemplate jdbc, MapSqlParameterSource params, JsonMapper json) {
        List<ClosedLoop.ActionCount> actions = new ArrayList<>();
        Map<Long, Set<Action>> held = new HashMap<>();
        Map<Long, List<Activity>> activities = new HashMap<>();
        long[] pooled = new long[2];
        jdbc.query(ClosedLoopReport.COHORT + COUNTS, params, rs -> {
            String kind = rs.getString("kind");
            if (kind.equals("E")) {
                Activity activity = ClosedLoopReport.activity(rs, "activity_id", json);
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
