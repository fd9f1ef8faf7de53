package dev.kindling.scoring;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.scoring.Rescore;
import dev.kindling.engine.scoring.ScoreState;
import dev.kindling.engine.scoring.ScoringModel;
import dev.kindling.prospects.ProspectRows;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Retroactive rescoring with the model in force: every prospect's processed activity history is replayed by the
 * engine ({@link Rescore}), in chunks of {@value #CHUNK} prospects with a fixed number of statements per chunk.
 * The preview only reads; applying writes, per chunk and in one transaction with the rows locked in id order,
 * the RESCORE entries, the new scores and decay instants and the recomputed cap memory.
 */
@Component
public class Rescoring {

    static final int CHUNK = 500;
    private static final TypeReference<Map<String, String>> PROPERTIES = new TypeReference<>() {};
    static final int[] BUCKET_EDGES = {-100, -50, -10, 0, 1, 10, 50, 100};

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final ScoreStore store;
    private final ScoringModels models;

    Rescoring(
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            JsonMapper json,
            Clock clock,
            ScoreStore store,
            ScoringModels models) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.json = json;
        this.clock = clock;
        this.store = store;
        this.models = models;
    }

    /** How many prospects were looked at and changed, and the distribution of the change. */
    public record Summary(
            long prospects,
            long changed,
            Integer minChange,
            Integer maxChange,
            Double meanChange,
            List<Bucket> buckets,
            boolean applied)
            implements Serializable {}

    /** How many changed prospects changed by an amount in {@code [from, to)} ({@code null}: unbounded). */
    public record Bucket(Integer from, Integer to, long prospects) implements Serializable {}

    public Summary preview() {
        return run(false, models.current());
    }

    /** What rescoring with {@code candidate} (a model not stored yet) would change. Writes nothing. */
    public Summary preview(ScoringModel candidate) {
        return run(false, candidate);
    }

    public Summary apply() {
        return run(true, models.current());
    }

    private Summary run(boolean write, ScoringModel model) {
        Instant now = clock.instant();
        long[] counts = new long[BUCKET_EDGES.length + 1];
        long prospects = 0;
        long changed = 0;
        long sum = 0;
        Integer min = null;
        Integer max = null;
        long after = 0;
        while (true) {
            long from = after;
            List<Rescore.Result> results = new ArrayList<>();
            Long last = tx.execute(status -> chunk(from, model, now, write, results));
            if (last == null) {
                break;
            }
            after = last;
            for (Rescore.Result r : results) {
                prospects++;
                int change = r.change();
                if (change != 0) {
                    changed++;
                    sum += change;
                    min = min == null ? change : Math.min(min, change);
                    max = max == null ? change : Math.max(max, change);
                    int b = 0;
                    while (b < BUCKET_EDGES.length && change >= BUCKET_EDGES[b]) {
                        b++;
                    }
                    counts[b]++;
                }
            }
        }
        List<Bucket> buckets = new ArrayList<>();
        for (int b = 0; b <= BUCKET_EDGES.length; b++) {
            if (b == BUCKET_EDGES.length - 4) {
                continue; // [0, 1): no change, not a bucket
            }
            buckets.add(new Bucket(
                    b == 0 ? null : BUCKET_EDGES[b - 1], b == BUCKET_EDGES.length ? null : BUCKET_EDGES[b], counts[b]));
        }
        return new Summary(prospects, changed, min, max, changed == 0 ? null : (double) sum / changed, buckets, write);
    }

    /** Replays the prospects after {@code after} (by id); the last id done, or {@code null} when none were left. */
    private Long chunk(long after, ScoringModel model, Instant now, boolean write, List<Rescore.Result> results) {
        Map<Long, ScoreState> states = new TreeMap<>();
        jdbc.sql("SELECT p.id, " + ScoreStore.COLUMNS + " FROM prospect p " + ProspectRows.DUE_JOIN
                        + " WHERE p.id > :after ORDER BY p.id LIMIT :n"
                        // NO KEY: an activity attributed at accept to one of them does not wait for the chunk
                        + (write ? " FOR NO KEY UPDATE OF p" : ""))
                .param("after", after)
                .param("n", CHUNK)
                .query((rs, row) -> states.put(rs.getLong("id"), store.read(rs)))
                .list();
        if (states.isEmpty()) {
            return null;
        }
        Long[] ids = states.keySet().toArray(Long[]::new);
        Map<Long, Rescore.Result> replayed = replay(states, model, now);
        List<Long> writeIds = new ArrayList<>();
        List<ScoreState> writeStates = new ArrayList<>();
        List<ScoreStore.Entry> entries = new ArrayList<>();
        Map<Long, Map<String, Integer>> caps = new TreeMap<>();
        states.forEach((id, state) -> {
            Rescore.Result r = replayed.get(id);
            results.add(r);
            if (!r.state().withCaps(Map.of()).equals(state)) {
                writeIds.add(id);
                writeStates.add(r.state());
            }
            if (r.entry() != null) {
                entries.add(new ScoreStore.Entry(id, r.entry()));
            }
            caps.put(id, r.state().caps());
        });
        if (write) {
            store.writeStates(writeIds, writeStates);
            store.append(entries);
            store.replaceCaps(caps);
        }
        return ids[ids.length - 1];
    }

    /**
     * Replays these prospects' processed histories with the model (the latest reset in force and the hand changes
     * since kept), in a fixed number of statements; used by rescoring and by a merge (the merged history).
     */
    Map<Long, Rescore.Result> replay(Map<Long, ScoreState> states, ScoringModel model, Instant now) {
        Long[] ids = states.keySet().toArray(Long[]::new);
        Map<Long, List<Activity>> history = new HashMap<>();
        jdbc.sql("""
                        SELECT prospect_id, id, type, custom_name, occurred_at, campaign_id, properties::text, bot
                          FROM activity a
                         WHERE prospect_id = ANY(:ids) AND processed_at IS NOT NULL AND failed_reason IS NULL
                           AND NOT EXISTS (SELECT 1 FROM activity_queue q WHERE q.activity_id = a.id)""")
                .param("ids", ids)
                .query((rs, row) -> {
                    ActivityType type = ActivityType.parse(rs.getString("type"));
                    if (type != null) {
                        history.computeIfAbsent(rs.getLong("prospect_id"), k -> new ArrayList<>())
                                .add(new Activity(
                                        rs.getLong("id"),
                                        type,
                                        rs.getString("custom_name"),
                                        rs.getTimestamp("occurred_at").toInstant(),
                                        (Long) rs.getObject("campaign_id"),
                                        json.readValue(rs.getString("properties"), PROPERTIES),
                                        rs.getBoolean("bot")));
                    }
                    return null;
                })
                .list();
        // the latest reset still in force, and the hand changes made since (or ever)
        Map<Long, Instant> resetAt = new HashMap<>();
        Map<Long, Integer> hand = new HashMap<>();
        jdbc.sql("""
                        WITH resets AS (
                            SELECT DISTINCT ON (l.prospect_id) l.prospect_id, l.id, l.at
                              FROM score_ledger l
                             WHERE l.prospect_id = ANY(:ids) AND l.kind = 'RESET' AND l.set_to IS NOT NULL
                               AND NOT EXISTS (SELECT 1 FROM score_ledger u
                                                WHERE u.prospect_id = l.prospect_id AND u.undoes = l.id)
                             ORDER BY l.prospect_id, l.id DESC)
                        SELECT p.id, r.at,
                               (SELECT coalesce(sum(h.delta), 0) FROM score_ledger h
                                 WHERE h.prospect_id = p.id AND h.kind IN ('MANUAL', 'AUTOMATION')
                                   AND h.id > coalesce(r.id, 0)) AS hand
                          FROM unnest(CAST(:ids AS bigint[])) AS p(id)
                          LEFT JOIN resets r ON r.prospect_id = p.id""")
                .param("ids", ids)
                .query((rs, row) -> {
                    Timestamp at = rs.getTimestamp("at");
                    if (at != null) {
                        resetAt.put(rs.getLong("id"), at.toInstant());
                    }
                    return hand.put(rs.getLong("id"), rs.getInt("hand"));
                })
                .list();

        Map<Long, Rescore.Result> results = new TreeMap<>();
        states.forEach((id, state) -> results.put(
                id,
                Rescore.replay(
                        state,
                        model,
                        history.getOrDefault(id, List.of()),
                        resetAt.get(id),
                        hand.getOrDefault(id, 0),
                        now)));
        return results;
    }
}
