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
import java.util.TreeSet;
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
    private static final String QUEUED =
            "SELECT activity_id FROM activity_queue WHERE prospect_id = ANY(CAST(:wp AS bigint[]))";

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
        TreeSet<Window> windows = new TreeSet<>();
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
                    windows.add(new Window(
                            prospect,
                            a.type().name(),
                            Math.floorDiv(a.occurredAt().getEpochSecond(), WINDOW)));
                }
            }
        });
        if (first.isEmpty()) {
            return;
        }
        List<ActionKey> actions = new ArrayList<>(first.keySet());
        jdbc.sql("""
                        WITH f AS (
                            INSERT INTO prospect_action (prospect_id, type, value, first_at)
                            SELECT * FROM unnest(CAST(:fp AS bigint[]), CAST(:ft AS text[]), CAST(:fv AS text[]),
                                                 CAST(:fa AS timestamptz[])) AS u(prospect_id, type, value, first_at)
                             WHERE NOT EXISTS (SELECT 1 FROM prospect_action s
                                                WHERE s.prospect_id = u.prospect_id AND s.type = u.type
                                                  AND s.value = u.value AND s.at_least IS NULL
                                                  AND s.first_at <= u.first_at)
                               AND NOT EXISTS (SELECT 1 FROM prospect_action s
                                                WHERE u.value IS NULL AND s.prospect_id = u.prospect_id
                                                  AND s.type = u.type AND s.value IS NULL AND s.at_least IS NULL
                                                  AND s.first_at <= u.first_at)
                            ON CONFLICT (prospect_id, type, value, at_least) DO UPDATE SET first_at = excluded.first_at
                             WHERE excluded.first_at < prospect_action.first_at)
                        """ + BAND_UPSERT)
                .param("fp", actions.stream().map(ActionKey::prospect).toArray(Long[]::new))
                .param("ft", actions.stream().map(ActionKey::type).toArray(String[]::new))
                .param("fv", actions.stream().map(ActionKey::value).toArray(String[]::new))
                .param(
                        "fa",
                        actions.stream().map(k -> Timestamp.from(first.get(k))).toArray(Timestamp[]::new))
                .param("wp", windows.stream().map(Window::prospect).toArray(Long[]::new))
                .param("wt", windows.stream().map(Window::type).toArray(String[]::new))
                .param("ww", windows.stream().map(Window::window).toArray(Long[]::new))
                .update();
    }

    /** The highest band of any type: no window needs more of its activities read. */
    private static final int HIGHEST = Action.BANDS.values().stream()
            .flatMap(List::stream)
            .mapToInt(Integer::intValue)
            .max()
            .orElseThrow();

    /**
     * The bands reached in the given windows (prospect, type, window number), from their stored activities (index
     * {@code activity (prospect_id, occurred_at)}, one range per window, at most the highest band's count read): the
     * time of the window's Nth activity of the type, kept when earlier than the one stored. Each window is read once
     * (the subquery is not flattened, so the bands are joined to its times rather than the read repeated per band).
     */
    private static final String BAND_UPSERT = """
            INSERT INTO prospect_action (prospect_id, type, value, at_least, first_at)
            SELECT * FROM (
            SELECT x.prospect_id, x.type, NULL, b.n, min(x.times[b.n])
              FROM (SELECT w.prospect_id, w.type, t.times
                      FROM unnest(CAST(:wp AS bigint[]), CAST(:wt AS text[]), CAST(:ww AS bigint[])) AS w(prospect_id, type, win)
                     CROSS JOIN LATERAL (
                            SELECT array_agg(r.occurred_at ORDER BY r.occurred_at) AS times
                              FROM (SELECT d.occurred_at
                                      FROM (SELECT a.id, a.occurred_at
                                              FROM activity a
                                             WHERE a.prospect_id = w.prospect_id AND a.type = w.type
                                               AND a.occurred_at >= to_timestamp(w.win * WINDOW)
                                               AND a.occurred_at < to_timestamp((w.win + 1) * WINDOW)
                                               AND BATCH_PROCESSED
                                            OFFSET 0) d
                                     WHERE d.id NOT IN (QUEUED)
                                     ORDER BY d.occurred_at
                                     LIMIT HIGHEST) r) t
                    OFFSET 0) x
              JOIN BANDS b(type, n) ON b.type = x.type AND x.times[b.n] IS NOT NULL
             GROUP BY 1, 2, 3, 4) AS n(prospect_id, type, value, at_least, first_at)
             WHERE NOT EXISTS (SELECT 1 FROM prospect_action s
                                WHERE s.prospect_id = n.prospect_id AND s.type = n.type AND s.value IS NULL
                                  AND s.at_least = n.at_least AND s.first_at <= n.first_at)
            ON CONFLICT (prospect_id, type, value, at_least) DO UPDATE SET first_at = excluded.first_at
             WHERE excluded.first_at < prospect_action.first_at""".replace("WINDOW", Long.toString(WINDOW))
            .replace("BANDS", BANDS)
            .replace("BATCH_PROCESSED", PROCESSED)
            .replace("QUEUED", QUEUED)
            .replace("HIGHEST", Integer.toString(HIGHEST));

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
        jdbc.sql(BAND_UPSERT)
                .param("wp", windows.stream().map(Window::prospect).toArray(Long[]::new))
                .param("wt", windows.stream().map(Window::type).toArray(String[]::new))
                .param("ww", windows.stream().map(Window::window).toArray(Long[]::new))
                .update();
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
