package dev.kindling.intake;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.closedloop.Action;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The closed loop's per-prospect action summary (docs/closed-loop.md, "Action summary"), kept up to date as activities
 * are processed: per prospect and action ({@link Action#of(Activity)}: type and normalised facet value) the first time
 * it was done, and per prospect, frequency-band type and UTC day how many activities it had. One statement per batch,
 * whatever its size; both upserts commute (earliest time, sum), so batches may arrive in any order. Called wherever
 * intake runs processed activities of a prospect through the engine, with the prospects already locked.
 */
@Component
class ActionSummary {

    private static final long DAY = 86_400L;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ActionSummary(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Makes the prospect's summary again from its processed activities as they are now: after an erasure, whose scrubbed
     * URLs can change a facet (a URL that was only a query string had the path "/" and now has none).
     */
    void rebuild(long prospectId) {
        jdbc.sql("DELETE FROM prospect_action WHERE prospect_id = :id")
                .param("id", prospectId)
                .update();
        jdbc.sql("DELETE FROM prospect_action_day WHERE prospect_id = :id")
                .param("id", prospectId)
                .update();
        List<Activity> activities = jdbc.sql("SELECT " + StoredActivity.COLUMNS + """
                         FROM activity
                        WHERE prospect_id = :id AND processed_at IS NOT NULL AND failed_reason IS NULL""")
                .param("id", prospectId)
                .query((rs, n) -> StoredActivity.read(rs, json).toEngine())
                .list();
        add(Map.of(prospectId, activities));
    }

    private record ActionKey(long prospect, String type, String value) implements Comparable<ActionKey> {
        @Override
        public int compareTo(ActionKey o) {
            int c = Long.compare(prospect, o.prospect);
            c = c != 0 ? c : type.compareTo(o.type);
            return c != 0
                    ? c
                    : value == null ? (o.value == null ? 0 : -1) : o.value == null ? 1 : value.compareTo(o.value);
        }
    }

    private record DayKey(long prospect, String type, int day) implements Comparable<DayKey> {
        @Override
        public int compareTo(DayKey o) {
            int c = Long.compare(prospect, o.prospect);
            c = c != 0 ? c : type.compareTo(o.type);
            return c != 0 ? c : Integer.compare(day, o.day);
        }
    }

    /** Adds these processed activities (by prospect) to the summary. */
    void add(Map<Long, List<Activity>> byProspect) {
        Map<ActionKey, Instant> first = new TreeMap<>();
        Map<DayKey, Integer> days = new TreeMap<>();
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
                    int day = Math.toIntExact(Math.floorDiv(a.occurredAt().getEpochSecond(), DAY));
                    days.merge(new DayKey(prospect, a.type().name(), day), 1, Integer::sum);
                }
            }
        });
        if (first.isEmpty()) {
            return;
        }
        List<ActionKey> actions = new ArrayList<>(first.keySet());
        List<DayKey> dayKeys = new ArrayList<>(days.keySet());
        jdbc.sql("""
                        WITH f AS (
                            INSERT INTO prospect_action (prospect_id, type, value, first_at)
                            SELECT * FROM unnest(CAST(:fp AS bigint[]), CAST(:ft AS text[]), CAST(:fv AS text[]),
                                                 CAST(:fa AS timestamptz[]))
                            ON CONFLICT (prospect_id, type, value) DO UPDATE SET first_at = excluded.first_at
                             WHERE excluded.first_at < prospect_action.first_at)
                        INSERT INTO prospect_action_day (prospect_id, type, day, activities)
                        SELECT * FROM unnest(CAST(:dp AS bigint[]), CAST(:dt AS text[]), CAST(:dd AS int[]),
                                             CAST(:dn AS int[]))
                        ON CONFLICT (prospect_id, type, day)
                           DO UPDATE SET activities = prospect_action_day.activities + excluded.activities""")
                .param("fp", actions.stream().map(ActionKey::prospect).toArray(Long[]::new))
                .param("ft", actions.stream().map(ActionKey::type).toArray(String[]::new))
                .param("fv", actions.stream().map(ActionKey::value).toArray(String[]::new))
                .param(
                        "fa",
                        actions.stream().map(k -> Timestamp.from(first.get(k))).toArray(Timestamp[]::new))
                .param("dp", dayKeys.stream().map(DayKey::prospect).toArray(Long[]::new))
                .param("dt", dayKeys.stream().map(DayKey::type).toArray(String[]::new))
                .param("dd", dayKeys.stream().map(DayKey::day).toArray(Integer[]::new))
                .param("dn", dayKeys.stream().map(days::get).toArray(Integer[]::new))
                .update();
    }
}
