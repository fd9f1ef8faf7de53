package dev.kindling.intake;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.closedloop.Action;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The closed loop's per-prospect action summary (docs/closed-loop.md, "Action summary"), kept up to date as activities
 * are processed: per prospect and action the first time it was done — facet actions ({@link Action#of(Activity)}: type
 * and normalised facet value) from the activities themselves, frequency bands ("≥ N of a type in one 30-day window")
 * from the stored activities of each window the activities fall in (the time of the window's Nth). One statement per
 * call, whatever the number of activities; every write keeps the earlier time, so activities may arrive in any order.
 * What the summary already holds as early or earlier is left out before the upsert (the unique index includes
 * {@code first_at}): an upsert whose {@code WHERE} is false still locks the row it conflicts with, a write of the row's
 * page and WAL for every repeated action.
 * Called wherever intake has just marked a prospect's activities processed, with the prospects locked.
 */
@Component
class ActionSummary {

    /** The band window in seconds. */
    static final long WINDOW = Action.BAND_DAYS * 86_400L;

    /** The frequency bands as a VALUES list (engine constants, no input). */
    private static final String BANDS = Action.BANDS.entrySet().stream()
            .flatMap(e -> e.getValue().stream().map(n -> "('" + e.getKey().name() + "', " + n + ")"))
            .collect(Collectors.joining(", ", "(VALUES ", ")"));

    // a counted activity with processed_at set (an activity attributed at accept has processed_at from accept on)
    private static final String PROCESSED = "NOT a.bot AND a.processed_at IS NOT NULL AND a.failed_reason IS NULL";

    // processed: the above and out of the queue
    private static final String DONE =
            PROCESSED + " AND NOT EXISTS (SELECT 1 FROM activity_queue q WHERE q.activity_id = a.id)";

    // the same, for the activities of the prospects :wp: their queued activities read once for the statement (a hashed
    // anti-join) instead of one queue probe per activity read; a queued activity that has processed_at (attributed at
    // accept) names its prospect in the queue too. QUEUED is applied above the read of the window's partitions: as a
    // filter of the read itself each month partition's scan had its own copy of the hashed subplan, and the plans of
    // W1 at S (auto_explain) showed the queue's seq scan (94,000 rows, 812 buffers, 8.7 ms) built once per partition
    // the windows touched (up to 15 times in a call). No ORDER BY inside: kept in occurred_at order there (a merge of
    // the partitions' ranges for the limit to stop) the statement took 237 ms a call and 61,000 buffers instead of
    // 20 ms and 21,000 (W1 at S, issue 16)
    // Only those in the windows' span (:lo to :hi, all of the windows' activities lie in it) are hashed: a batch's
    // prospects have most of their queued activities later than the batch's (W1 sends each prospect's in time order).
    private static final String QUEUED = """
            SELECT activity_id FROM activity_queue
             WHERE prospect_id = ANY(CAST(:wp AS bigint[])) AND occurred_at >= :lo AND occurred_at < :hi""";

    private static final Comparator<String> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ActionSummary(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    // the orders built once: built in compareTo, each comparison of a batch's tree inserts allocated a chain
    private static final Comparator<ActionKey> ACTION_KEY_ORDER = Comparator.comparingLong(ActionKey::prospect)
            .thenComparing(ActionKey::type)
            .thenComparing(ActionKey::value, NULLS_FIRST);
    private static final Comparator<Window> WINDOW_ORDER = Comparator.comparingLong(Window::prospect)
            .thenComparing(Window::type)
            .thenComparingLong(Window::window);

    private record ActionKey(long prospect, String type, String value) implements Comparable<ActionKey> {
        @Override
        public int compareTo(ActionKey o) {
            return ACTION_KEY_ORDER.compare(this, o);
        }
    }

    private record Window(long prospect, String type, long window) implements Comparable<Window> {
        @Override
        public int compareTo(Window o) {
            return WINDOW_ORDER.compare(this, o);
        }
    }

    /** Adds these activities (by prospect), already marked processed, to the summary. */
    void add(Map<Long, List<Activity>> byProspect) {
        Map<ActionKey, Instant> first = new TreeMap<>();
        Map<Window, Instant> windows = new TreeMap<>(); // each window with the batch's earliest activity in it
        byProspect.forEach((prospect, activities) -> {
            for (Activity a : activities) {
                Action action = Action.of(a);
                if (action == null) {
                    continue;
                }
                first.merge(
                        new ActionKey(prospect, a.type().name(), action.value()),
                        a.occurredAt(),
                        (x, y) -> x.isBefore(y) ? x : y);
                if (Action.BANDS.containsKey(a.type())) {
                    windows.merge(
                            new Window(
                                    prospect,
                                    a.type().name(),
                                    Math.floorDiv(a.occurredAt().getEpochSecond(), WINDOW)),
                            a.occurredAt(),
                            (x, y) -> x.isBefore(y) ? x : y);
                }
            }
        });
        if (first.isEmpty()) {
            return;
        }
        List<ActionKey> actions = new ArrayList<>(first.keySet());
        bands(jdbc.sql("""
                        WITH f AS (
                            INSERT INTO prospect_action (prospect_id, type, value, first_at)
                            SELECT * FROM unnest(CAST(:fp AS bigint[]), CAST(:ft AS text[]), CAST(:fv AS text[]),
                                                 CAST(:fa AS timestamptz[])) AS u(prospect_id, type, value, first_at)
                             WHERE CASE WHEN u.value IS NULL
                                        THEN NOT EXISTS (SELECT 1 FROM prospect_action s
                                                          WHERE s.prospect_id = u.prospect_id AND s.type = u.type
                                                            AND s.value IS NULL AND s.at_least IS NULL
                                                            AND s.first_at <= u.first_at)
                                        ELSE NOT EXISTS (SELECT 1 FROM prospect_action s
                                                          WHERE s.prospect_id = u.prospect_id AND s.type = u.type
                                                            AND s.value = u.value AND s.at_least IS NULL
                                                            AND s.first_at <= u.first_at) END
                            ON CONFLICT (prospect_id, type, value, at_least) DO UPDATE SET first_at = excluded.first_at
                             WHERE excluded.first_at < prospect_action.first_at),
                        """ + BAND_UPSERT), windows)
                .param("fp", actions.stream().map(ActionKey::prospect).toArray(Long[]::new))
                .param("ft", actions.stream().map(ActionKey::type).toArray(String[]::new))
                .param("fv", actions.stream().map(ActionKey::value).toArray(String[]::new))
                .param(
                        "fa",
                        actions.stream().map(k -> Timestamp.from(first.get(k))).toArray(Timestamp[]::new))
                .update();
    }

    /**
     * The band upsert's parameters: the windows, each with the earliest activity that can change its bands, and the
     * span of all of them ({@code :lo}, {@code :hi}: constants to the planner, which then plans and opens only the
     * month partitions of the span instead of all of them, a scan node, a lock and an index opened per partition per
     * call; the windows' bounds come from the rows of the unnest, known only when the statement runs).
     */
    private static JdbcClient.StatementSpec bands(JdbcClient.StatementSpec statement, Map<Window, Instant> windows) {
        long lo = windows.keySet().stream().mapToLong(Window::window).min().orElse(0);
        long hi = windows.keySet().stream().mapToLong(Window::window).max().orElse(-1) + 1;
        return statement
                .param("lo", Timestamp.from(Instant.ofEpochSecond(lo * WINDOW)))
                .param("hi", Timestamp.from(Instant.ofEpochSecond(hi * WINDOW)))
                .param("wp", windows.keySet().stream().map(Window::prospect).toArray(Long[]::new))
                .param("wt", windows.keySet().stream().map(Window::type).toArray(String[]::new))
                .param("ww", windows.keySet().stream().map(Window::window).toArray(Long[]::new))
                .param("wm", windows.values().stream().map(Timestamp::from).toArray(Timestamp[]::new))
                .param(
                        "wn",
                        windows.keySet().stream()
                                .map(w -> Action.BANDS
                                        .get(ActivityType.valueOf(w.type()))
                                        .size())
                                .toArray(Integer[]::new));
    }

    /** The types that have bands, as an SQL list (engine constants, no input). */
    private static final String BAND_TYPES = Action.BANDS.keySet().stream()
            .map(t -> "'" + t.name() + "'")
            .sorted()
            .collect(Collectors.joining(", ", "(", ")"));

    /**
     * The bands reached in the given windows (prospect, type, window number, and the earliest activity since which
     * the window may have changed), from their stored activities: the time of the window's Nth activity of the type,
     * kept when earlier than the one stored. CTEs after a {@code WITH} (or a comma), then the upsert.
     *
     * <p>A window is left unread when every band of its type is already stored at or before that earliest activity
     * ({@code bw}): the window's Nth activity can only come before a stored band's time if one of its activities
     * before that time is new, and the summary holds no band later than its activities say (every band written is
     * an Nth activity's time, and a merge refreshes the survivor's). In W1 the engaged prospects, who do most of the
     * activities, reach every band in their first windows: the read of their later windows (all their activities
     * in the window, any type, fetched to be filtered) was most of the statement's buffers (issue 16). The windows
     * left are read once per prospect and window for all band types (one index range instead of one per type, the
     * other types' rows were fetched and dropped anyway); each read is not flattened, and the queued activities of
     * the batch's prospects are left out by one hashed anti-join above it (QUEUED).
     */
    private static final String BAND_UPSERT = """
            bw AS (
                SELECT w.prospect_id, w.type, w.win
                  FROM unnest(CAST(:wp AS bigint[]), CAST(:wt AS text[]), CAST(:ww AS bigint[]),
                              CAST(:wm AS timestamptz[]), CAST(:wn AS integer[])) AS w(prospect_id, type, win, since, n)
                 WHERE (SELECT count(*) FROM prospect_action s
                         WHERE s.prospect_id = w.prospect_id AND s.type = w.type AND s.value IS NULL
                           AND s.at_least IS NOT NULL AND s.first_at <= w.since) < w.n),
            tw AS (
                SELECT p.prospect_id, p.win, t.type, t.times
                  FROM (SELECT DISTINCT prospect_id, win FROM bw) p
                 CROSS JOIN LATERAL (
                        SELECT d.type, array_agg(d.occurred_at ORDER BY d.occurred_at) AS times
                          FROM (SELECT a.id, a.type, a.occurred_at
                                  FROM activity a
                                 WHERE a.prospect_id = p.prospect_id AND a.type IN BAND_TYPES
                                   AND a.occurred_at >= to_timestamp(p.win * WINDOW)
                                   AND a.occurred_at < to_timestamp((p.win + 1) * WINDOW)
                                   AND a.occurred_at >= :lo AND a.occurred_at < :hi
                                   AND BATCH_PROCESSED
                                OFFSET 0) d
                         WHERE d.id NOT IN (QUEUED)
                         GROUP BY d.type) t)
            INSERT INTO prospect_action (prospect_id, type, value, at_least, first_at)
            SELECT * FROM (
            SELECT x.prospect_id, x.type, NULL, b.n, min(x.times[b.n])
              FROM (SELECT tw.prospect_id, tw.type, tw.times FROM tw JOIN bw USING (prospect_id, type, win)) x
              JOIN BANDS b(type, n) ON b.type = x.type AND x.times[b.n] IS NOT NULL
             GROUP BY 1, 2, 3, 4) AS n(prospect_id, type, value, at_least, first_at)
             WHERE NOT EXISTS (SELECT 1 FROM prospect_action s
                                WHERE s.prospect_id = n.prospect_id AND s.type = n.type AND s.value IS NULL
                                  AND s.at_least = n.at_least AND s.first_at <= n.first_at)
            ON CONFLICT (prospect_id, type, value, at_least) DO UPDATE SET first_at = excluded.first_at
             WHERE excluded.first_at < prospect_action.first_at""".replace("WINDOW", Long.toString(WINDOW))
            .replace("BAND_TYPES", BAND_TYPES)
            .replace("BANDS", BANDS)
            .replace("BATCH_PROCESSED", PROCESSED)
            .replace("QUEUED", QUEUED);

    /**
     * Brings the prospect's bands up to date over all its stored activities: after a merge, where two histories in one
     * window can reach a band neither reached alone.
     */
    void refreshBands(long prospectId) {
        List<Window> windows = jdbc.sql("SELECT DISTINCT a.type, floor(extract(epoch FROM a.occurred_at) / "
                        + WINDOW
                        + ")::bigint AS win FROM activity a WHERE a.prospect_id = :id AND a.type IN (:types) AND "
                        + DONE)
                .param("id", prospectId)
                .param(
                        "types",
                        Action.BANDS.keySet().stream().map(ActivityType::name).toList())
                .query((rs, n) -> new Window(prospectId, rs.getString("type"), rs.getLong("win")))
                .list();
        if (windows.isEmpty()) {
            return;
        }
        // each window since its start: a band stored at or before it cannot be made earlier by the window, whatever
        // the loser's activities added
        Map<Window, Instant> since = new TreeMap<>();
        windows.forEach(w -> since.put(w, Instant.ofEpochSecond(w.window() * WINDOW)));
        bands(jdbc.sql("WITH " + BAND_UPSERT), since).update();
    }

    /**
     * Makes the prospect's summary again from its processed activities as they are now: after an erasure, whose scrubbed
     * URLs can change a facet (a URL that was only a query string had the path "/" and now has none).
     */
    void rebuild(long prospectId) {
        jdbc.sql("DELETE FROM prospect_action WHERE prospect_id = :id")
                .param("id", prospectId)
                .update();
        List<Activity> activities = jdbc.sql("SELECT " + StoredActivity.COLUMNS + """
                         FROM activity a
                        WHERE prospect_id = :id AND processed_at IS NOT NULL AND failed_reason IS NULL
                          AND NOT EXISTS (SELECT 1 FROM activity_queue q WHERE q.activity_id = a.id)""")
                .param("id", prospectId)
                .query((rs, n) -> StoredActivity.read(rs, json).toEngine())
                .list();
        add(Map.of(prospectId, activities));
    }
}
