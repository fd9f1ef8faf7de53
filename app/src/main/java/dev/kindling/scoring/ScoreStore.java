package dev.kindling.scoring;

import dev.kindling.engine.intake.ProspectState;
import dev.kindling.engine.scoring.CapMemory;
import dev.kindling.engine.scoring.LedgerEntry;
import dev.kindling.engine.scoring.ScoreState;
import dev.kindling.platform.database.EpochMicros;
import dev.kindling.platform.web.InputDates;
import dev.kindling.prospects.ProspectRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a prospect's {@link ScoreState} and ledger are stored: {@code prospect.score} and {@code score_memory}
 * (JSON), {@code prospect_due.next_decay_at}, the {@code score_cap} rows and the
 * append-only {@code score_ledger}. Every write is set-based: one statement per batch.
 */
@Component
public class ScoreStore {

    /**
     * The columns {@link #read} expects: of the prospect (alias {@code p}) and its due instants (alias {@code d},
     * joined with {@link ProspectRows#DUE_JOIN}).
     */
    public static final String COLUMNS = "p.score, d.next_decay_at, p.score_memory::text AS score_memory";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    private final org.springframework.context.ApplicationEventPublisher events;

    private final ProspectRows prospectRows;

    ScoreStore(
            JdbcClient jdbc,
            JsonMapper json,
            org.springframework.context.ApplicationEventPublisher events,
            ProspectRows prospectRows) {
        this.prospectRows = prospectRows;
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
    }

    /**
     * One ledger entry of one prospect. {@code occurredAt}: for an ACTIVITY entry, when its activity occurred (the
     * entry's {@code at} is when it was processed; the KPI dashboard's lead active rate counts by occurrence), else
     * {@code null}.
     */
    public record Entry(long prospectId, LedgerEntry entry, Instant occurredAt) {

        public Entry(long prospectId, LedgerEntry entry) {
            this(prospectId, entry, null);
        }
    }

    /** The score state of the current row, without cap memory (see {@link #withCaps}). */
    public ScoreState read(ResultSet rs) throws SQLException {
        int value = rs.getInt("score");
        Timestamp next = rs.getTimestamp("next_decay_at");
        String memoryText = rs.getString("score_memory");
        Instant nextDecay = next == null ? null : next.toInstant();
        if (memoryText == null) {
            return new ScoreState(value, null, false, null, 0, Map.of(), Map.of(), nextDecay);
        }
        ScoreMemoryText.Fields m = ScoreMemoryText.read(memoryText, json);
        return new ScoreState(
                value,
                m.activityAt() == null ? null : InputDates.parsed(m.activityAt()),
                m.inactivityApplied(),
                m.halfLifeDays(),
                m.period(),
                m.buckets(),
                Map.of(),
                nextDecay);
    }

    /** The score's memory as stored in {@code score_memory}. */
    String memory(ScoreState s) {
        return ScoreMemoryText.write(s);
    }

    /** The given states with the cap memory of their prospects, loaded in one query. */
    public Map<Long, ProspectState> withCaps(Map<Long, ProspectState> states) {
        if (states.isEmpty()) {
            return states;
        }
        Map<Long, CapMemory> caps = new HashMap<>();
        jdbc.sql("SELECT prospect_id, cap_key, points FROM score_cap WHERE prospect_id = ANY(:ids)")
                .param("ids", states.keySet().toArray(Long[]::new))
                .query((rs, n) -> {
                    long id = rs.getLong(1);
                    return caps.put(id, caps.getOrDefault(id, CapMemory.EMPTY).with(rs.getString(2), rs.getInt(3)));
                })
                .list();
        Map<Long, ProspectState> result = new TreeMap<>();
        states.forEach((id, s) ->
                result.put(id, caps.containsKey(id) ? s.withScore(s.score().withCaps(caps.get(id))) : s));
        return result;
    }

    /** The prospect columns' new values, in unnest-ready arrays (same order as {@code states}). */
    public record Columns(Integer[] scores, Timestamp[] nextDecay, String[] memory) {}

    public Columns columns(List<ScoreState> states) {
        int n = states.size();
        Integer[] scores = new Integer[n];
        Timestamp[] next = new Timestamp[n];
        String[] memory = new String[n];
        for (int i = 0; i < n; i++) {
            ScoreState s = states.get(i);
            scores[i] = s.value();
            next[i] = s.nextDecayAt() == null ? null : Timestamp.from(s.nextDecayAt());
            memory[i] = memory(s);
        }
        return new Columns(scores, next, memory);
    }

    /**
     * Writes score, next decay and memory of these prospects in one statement. Intake does this within its
     * own state update; the decay job, user actions and rescoring use this.
     */
    void writeStates(List<Long> prospectIds, List<ScoreState> states) {
        if (states.isEmpty()) {
            return;
        }
        Columns c = columns(states);
        prospectRows.writeScores(prospectIds.toArray(Long[]::new), c.scores(), c.nextDecay(), c.memory());
        events.publishEvent(new ScoresWritten(new java.util.HashSet<>(prospectIds)));
    }

    /**
     * The score states of these prospects (without cap memory), locked in id order until the transaction ends ({@code
     * FOR NO KEY UPDATE}, as intake locks them: inserts referencing a prospect, such as activities attributed at
     * accept, do not wait for it, and intake's rule score actions never wait for them).
     */
    Map<Long, ScoreState> lock(Collection<Long> prospectIds) {
        return lock(prospectIds, "true");
    }

    /** {@link #lock(Collection)} of those of these prospects that meet {@code where} (a condition on {@code p}). */
    Map<Long, ScoreState> lock(Collection<Long> prospectIds, String where) {
        Map<Long, ScoreState> states = new TreeMap<>();
        if (prospectIds.isEmpty()) {
            return states;
        }
        jdbc.sql("SELECT p.id, " + COLUMNS + " FROM prospect p " + ProspectRows.DUE_JOIN
                        + " WHERE p.id = ANY(:ids) AND " + where + " ORDER BY p.id FOR NO KEY UPDATE OF p")
                .param("ids", prospectIds.stream().sorted().toArray(Long[]::new))
                .query((rs, n) -> states.put(rs.getLong("id"), read(rs)))
                .list();
        return states;
    }

    /** Records the cap memory that changed between {@code before} and the changed states, in one upsert. */
    public void writeCaps(Map<Long, ProspectState> before, Collection<ProspectState> changed) {
        List<Long> ids = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Integer> points = new ArrayList<>();
        for (ProspectState after : changed) {
            ProspectState old = before.get(after.prospectId());
            Map<String, Integer> was = old == null ? Map.of() : old.score().caps();
            // the memory after shares all but its changed paths with the one before: only those are visited
            CapMemory.of(after.score().caps()).forEachChangedFrom(was, (key, value) -> {
                ids.add(after.prospectId());
                keys.add(key);
                points.add(value);
            });
        }
        upsertCaps(ids, keys, points);
    }

    /** Replaces a prospect's whole cap memory (rescoring). */
    void replaceCaps(Map<Long, Map<String, Integer>> caps) {
        if (caps.isEmpty()) {
            return;
        }
        jdbc.sql("DELETE FROM score_cap WHERE prospect_id = ANY(:ids)")
                .param("ids", caps.keySet().toArray(Long[]::new))
                .update();
        List<Long> ids = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Integer> points = new ArrayList<>();
        caps.forEach((id, m) -> m.forEach((k, v) -> {
            ids.add(id);
            keys.add(k);
            points.add(v);
        }));
        upsertCaps(ids, keys, points);
    }

    private void upsertCaps(List<Long> ids, List<String> keys, List<Integer> points) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO score_cap (prospect_id, cap_key, points)
                        SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:keys AS text[]), CAST(:points AS integer[]))
                        ON CONFLICT (prospect_id, cap_key) DO UPDATE SET points = excluded.points""")
                .param("ids", ids.toArray(Long[]::new))
                .param("keys", keys.toArray(String[]::new))
                .param("points", points.toArray(Integer[]::new))
                .update();
    }

    /** Appends entries to the ledger in one statement, keeping their order. */
    public void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        int n = entries.size();
        Long[] prospect = new Long[n];
        Long[] at = new Long[n]; // the instants as epoch microseconds: bound in binary (EpochMicros)
        String[] kind = new String[n];
        Integer[] delta = new Integer[n];
        Integer[] setTo = new Integer[n];
        Integer[] result = new Integer[n];
        Long[] rule = new Long[n];
        Long[] activity = new Long[n];
        String[] reason = new String[n];
        Long[] undoes = new Long[n];
        Long[] occurred = new Long[n];
        for (int i = 0; i < n; i++) {
            LedgerEntry e = entries.get(i).entry();
            prospect[i] = entries.get(i).prospectId();
            at[i] = EpochMicros.of(e.at());
            kind[i] = e.kind().name();
            delta[i] = e.delta();
            setTo[i] = e.setTo();
            result[i] = e.result();
            rule[i] = e.ruleId();
            activity[i] = e.activityId();
            reason[i] = e.reason();
            undoes[i] = e.undoes();
            Instant o = entries.get(i).occurredAt();
            occurred[i] = EpochMicros.of(o);
        }
        jdbc.sql("""
                        INSERT INTO score_ledger (prospect_id, at, kind, delta, set_to, result, rule_id, activity_id,
                                                  reason, undoes, occurred_at)
                        SELECT prospect_id, AT_TIME, kind, delta, set_to, result, rule_id, activity_id, reason, undoes,
                               OCCURRED_TIME
                          FROM unnest(CAST(:prospect AS bigint[]), CAST(:at AS bigint[]), CAST(:kind AS text[]),
                                      CAST(:delta AS integer[]), CAST(:setTo AS integer[]),
                                      CAST(:result AS integer[]), CAST(:rule AS bigint[]),
                                      CAST(:activity AS bigint[]), CAST(:reason AS text[]), CAST(:undoes AS bigint[]),
                                      CAST(:occurred AS bigint[]))
                               WITH ORDINALITY AS u(prospect_id, at, kind, delta, set_to, result, rule_id,
                                                    activity_id, reason, undoes, occurred_at, n)
                         ORDER BY n""".replace("AT_TIME", EpochMicros.timestamp("u.at"))
                        .replace("OCCURRED_TIME", EpochMicros.timestamp("u.occurred_at")))
                .param("prospect", prospect)
                .param("at", at)
                .param("kind", kind)
                .param("delta", delta)
                .param("setTo", setTo)
                .param("result", result)
                .param("rule", rule)
                .param("activity", activity)
                .param("reason", reason)
                .param("undoes", undoes)
                .param("occurred", occurred)
                .update();
    }
}
