package dev.kindling.prospects;

import dev.kindling.engine.condition.ConditionReads;
import dev.kindling.platform.time.DueSweep;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The writes other capabilities make to the {@code prospect} row, which this module owns: the state each of them
 * derives and keeps there (stage, score, grade, owner, consent and bounce flags, fields set by actions), and to its
 * due instants in {@code prospect_due} (next decay, inactivity check, condition check). Each is one statement per batch
 * of prospects (two where a write has both kinds), in the caller's transaction. Field writes publish this
 * module's {@link ProspectsChanged}; for derived state the caller publishes its own event for what happened.
 * Columns and arrays are in the order of the ids.
 */
@Component
public class ProspectRows {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final ErasedProspects erased;

    ProspectRows(JdbcClient jdbc, ApplicationEventPublisher events, JsonMapper json, ErasedProspects erased) {
        this.jdbc = jdbc;
        this.events = events;
        this.json = json;
        this.erased = erased;
    }

    /**
     * Writes validated changes to many prospects in one statement (as {@link Prospects#update} writes one: a null value
     * clears a field, custom values are merged, a null custom value removes it) and publishes one
     * {@link ProspectsChanged} for all of them. A CRM sync writes a page of records' values this way. An email of an
     * erased person is refused, as by {@link Prospects#update}.
     */
    public void writeChanges(Map<Long, ProspectChanges> changes, Instant now) {
        Map<Long, ProspectChanges> some = new LinkedHashMap<>(changes);
        some.values().removeIf(ProspectChanges::isEmpty);
        if (some.isEmpty()) {
            return;
        }
        Set<ProspectField> columns = EnumSet.noneOf(ProspectField.class);
        boolean custom = false;
        List<Long> ids = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        List<String> adds = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        for (Map.Entry<Long, ProspectChanges> e : some.entrySet()) {
            ProspectChanges c = e.getValue();
            erased.refuse(c.email());
            columns.addAll(c.fields().keySet());
            custom |= !c.custom().isEmpty();
            Map<String, Object> values = new HashMap<>();
            c.fields().forEach((f, v) -> values.put(f.column(), v));
            Map<String, Object> add = new LinkedHashMap<>();
            List<String> remove = new ArrayList<>();
            c.custom().forEach((k, v) -> {
                if (v == null) {
                    remove.add(k);
                } else {
                    add.put(k, v);
                }
            });
            ids.add(e.getKey());
            fields.add(json.writeValueAsString(values));
            adds.add(json.writeValueAsString(add));
            removes.add(json.writeValueAsString(remove));
        }
        StringBuilder set = new StringBuilder("updated_at = :now");
        for (ProspectField f : columns) {
            String value = f.isNumeric() ? "CAST(d.f->>'" + f.column() + "' AS integer)" : "d.f->>'" + f.column() + "'";
            set.append(", ")
                    .append(f.column())
                    .append(" = CASE WHEN d.f -> '")
                    .append(f.column())
                    .append("' IS NOT NULL THEN ")
                    .append(value)
                    .append(" ELSE p.")
                    .append(f.column())
                    .append(" END");
        }
        if (custom) {
            set.append(", custom = (p.custom - ARRAY(SELECT jsonb_array_elements_text(d.r))) || d.a");
        }
        jdbc.sql("UPDATE prospect p SET " + set
                        + " FROM (SELECT u.id, CAST(u.f AS jsonb) AS f, CAST(u.a AS jsonb) AS a, CAST(u.r AS jsonb) AS r"
                        + "         FROM unnest(CAST(:ids AS bigint[]), CAST(:fields AS text[]), CAST(:adds AS text[]),"
                        + "                     CAST(:removes AS text[])) AS u(id, f, a, r)) d"
                        + " WHERE p.id = d.id")
                .param("now", Timestamp.from(now))
                .param("ids", ids.toArray(Long[]::new))
                .param("fields", fields.toArray(String[]::new))
                .param("adds", adds.toArray(String[]::new))
                .param("removes", removes.toArray(String[]::new))
                .update();
        events.publishEvent(new ProspectsChanged(new HashSet<>(ids)));
    }

    /**
     * The due instants of a prospect live in {@code prospect_due} (V720), not on its row: every write of one changes
     * an indexed column, and on the wide, many-indexed prospect row that made every such write a non-HOT update into
     * all of its indexes. Readers join it as {@code d}: {@value #DUE_JOIN}.
     */
    public static final String DUE_JOIN = "LEFT JOIN prospect_due d ON d.prospect_id = p.id";

    /**
     * A due sweep's claim ({@link DueSweep#claim}) of the prospects whose instant {@code dueColumn} of
     * {@code prospect_due} has come: {@code columns} of the prospect {@code p} (and its instants {@code d}), the
     * {@code conditions} on them (null for none), their prospect rows locked, those locked already skipped.
     */
    public static String claimDue(String columns, String dueColumn, String conditions) {
        return DueSweep.claim(
                "SELECT " + columns + " FROM prospect_due d JOIN prospect p ON p.id = d.prospect_id",
                "d." + dueColumn,
                conditions,
                "p");
    }

    /**
     * A due sweep's condition (for {@link #claimDue}) that leaves a due prospect {@code p} to intake while activities
     * of it still wait in the intake's queue ({@code activity_queue}: by prospect, or by email while not yet linked):
     * intake settles what fell due on the activities' own timeline, so a backlog of history is never decayed or
     * recycled to now between two of its batches. {@code OFFSET 0} keeps each {@code NOT EXISTS} a probe per due
     * prospect (of {@code activity_queue_prospect_idx}, {@code activity_queue_email_idx}): joined instead, with
     * statistics taken while the queue was short, the planner scanned all queued rows once per due prospect — seconds
     * of database time a sweep under a backlog (W1 in docs/benchmarks.md). Its home is here rather than in
     * {@code intake}, which owns the queue, because intake's effects use the sweeps' modules (scoring, lifecycle):
     * they could not use intake back without a cycle.
     */
    public static final String NOTHING_QUEUED = """
            NOT EXISTS (SELECT 1 FROM activity_queue q WHERE q.prospect_id = p.id OFFSET 0)
            AND NOT EXISTS (SELECT 1 FROM activity_queue q
                             WHERE q.email = p.email AND q.prospect_id IS NULL OFFSET 0)""";

    /** The state intake derives for a batch of prospects: stage, last activity, score columns, lifecycle check. */
    public void writeIntakeStates(
            Long[] ids,
            String[] stages,
            Timestamp[] lastActivity,
            Integer[] scores,
            Timestamp[] nextDecay,
            String[] scoreMemory,
            Timestamp[] lifecycleCheck) {
        jdbc.sql("""
                        UPDATE prospect p
                           SET stage = u.stage, last_activity_at = u.last_activity_at,
                               score = u.score, score_memory = u.score_memory
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:stages AS text[]),
                                      CAST(:last AS timestamptz[]), CAST(:scores AS integer[]),
                                      CAST(CAST(:memory AS text[]) AS jsonb[]))
                               AS u(id, stage, last_activity_at, score, score_memory)
                         WHERE p.id = u.id AND p.id = ANY(:ids)
                           -- ids also as ANY: an index scan of the ids; the join alone hashed the whole table""")
                .param("ids", ids)
                .param("stages", stages)
                .param("last", lastActivity)
                .param("scores", scores)
                .param("memory", scoreMemory)
                .update();
        writeDue(ids, new String[] {"next_decay_at", "lifecycle_check_at"}, nextDecay, lifecycleCheck);
    }

    /**
     * Sets due instants ({@code columns} of {@code prospect_due}, one array of values each, in the order of
     * {@code ids}) in one statement: the rows whose values differ are updated, a row is added for a prospect that has
     * none when one of its values is set, and nothing is written where nothing changes (an absent row means every
     * instant NULL). The callers hold the prospects' rows locked.
     */
    private void writeDue(Long[] ids, String[] columns, Timestamp[]... values) {
        if (ids.length == 0) {
            return;
        }
        StringBuilder names = new StringBuilder();
        StringBuilder arrays = new StringBuilder();
        StringBuilder set = new StringBuilder();
        StringBuilder old = new StringBuilder();
        StringBuilder fresh = new StringBuilder();
        StringBuilder any = new StringBuilder();
        StringBuilder excluded = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            String c = columns[i];
            String sep = i == 0 ? "" : ", ";
            names.append(sep).append(c);
            arrays.append(", CAST(:v").append(i).append(" AS timestamptz[])");
            set.append(sep).append(c).append(" = u.").append(c);
            old.append(sep).append("d.").append(c);
            fresh.append(sep).append("u.").append(c);
            any.append(i == 0 ? "" : " OR ").append("u.").append(c).append(" IS NOT NULL");
            excluded.append(sep).append(c).append(" = excluded.").append(c);
        }
        // an id given twice takes its last values (an UPDATE … FROM of both would take either)
        String sql = "WITH u AS (SELECT DISTINCT ON (id) id, " + names + " FROM unnest(CAST(:ids AS bigint[])" + arrays
                + ") WITH ORDINALITY AS u(id, " + names + ", n) ORDER BY id, n DESC),"
                + " changed AS (UPDATE prospect_due d SET " + set + " FROM u"
                + " WHERE d.prospect_id = u.id AND d.prospect_id = ANY(:ids)"
                + " AND (" + old + ") IS DISTINCT FROM (" + fresh + ") RETURNING d.prospect_id)"
                + " INSERT INTO prospect_due (prospect_id, " + names + ")"
                + " SELECT u.id, " + fresh + " FROM u WHERE (" + any + ")"
                + " AND NOT EXISTS (SELECT 1 FROM prospect_due d WHERE d.prospect_id = u.id)"
                + " ON CONFLICT (prospect_id) DO UPDATE SET " + excluded;
        var statement = jdbc.sql(sql).param("ids", ids);
        for (int i = 0; i < columns.length; i++) {
            statement = statement.param("v" + i, values[i]);
        }
        statement.update();
    }

    /**
     * Sets a prospect's last stage change ({@code stage_changed_at}, kept by a trigger on the transitions' inserts) to
     * what the lifecycle computed, for a merge's survivor.
     */
    public void writeStageChangedAt(long id, Instant at) {
        jdbc.sql("UPDATE prospect SET stage_changed_at = :at WHERE id = :id")
                .param("id", id)
                .param("at", at == null ? null : Timestamp.from(at))
                .update();
    }

    /** Stage and inactivity check of these prospects (lifecycle's moves outside intake). */
    public void writeStages(Long[] ids, String[] stages, Timestamp[] lifecycleCheck) {
        jdbc.sql("""
                        UPDATE prospect p SET stage = u.stage
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:stages AS text[])) AS u(id, stage)
                         WHERE p.id = u.id AND p.id = ANY(:ids) AND p.stage IS DISTINCT FROM u.stage
                       -- ids also as ANY: an index scan of the ids; the join alone hashed the whole table""").param("ids", ids).param("stages", stages).update();
        writeDue(ids, new String[] {"lifecycle_check_at"}, lifecycleCheck);
    }

    /**
     * Moves the inactivity check of every prospect in a stage that can go inactive to its last activity (or capture)
     * plus {@code days}; returns how many prospects that concerns. Used when the inactivity period is edited. Locks
     * those prospects' rows first ({@code FOR NO KEY UPDATE}, as an update of their rows did): a batch holding one
     * commits first, and its stage and last activity are read after it.
     */
    public int rescheduleInactivityChecks(int days) {
        return jdbc.sql("""
                        WITH p AS (SELECT id, coalesce(last_activity_at, captured_at) + make_interval(days => :days) AS at
                                     FROM prospect
                                    WHERE stage IN ('CAPTURED', 'ENGAGED', 'MQL', 'SAL')
                                      FOR NO KEY UPDATE)
                        INSERT INTO prospect_due (prospect_id, lifecycle_check_at)
                        SELECT id, at FROM p
                        ON CONFLICT (prospect_id) DO UPDATE SET lifecycle_check_at = excluded.lifecycle_check_at""").param("days", days).update();
    }

    /** Score, next decay and cap memory (JSON text) of these prospects (scoring's writes outside intake). */
    public void writeScores(Long[] ids, Integer[] scores, Timestamp[] nextDecay, String[] scoreMemory) {
        jdbc.sql("""
                        UPDATE prospect p
                           SET score = u.score, score_memory = u.memory
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:scores AS integer[]),
                                      CAST(CAST(:memory AS text[]) AS jsonb[]))
                               AS u(id, score, memory)
                         WHERE p.id = u.id AND p.id = ANY(:ids)
                           -- ids also as ANY: an index scan of the ids; the join alone hashed the whole table""")
                .param("ids", ids)
                .param("scores", scores)
                .param("memory", scoreMemory)
                .update();
        writeDue(ids, new String[] {"next_decay_at"}, nextDecay);
    }

    /**
     * Makes the decay of every prospect with a decaying score due at {@code now} (the decay settings changed). Locks
     * their rows first, as an update of them did.
     */
    public void makeDecayDue(Instant now) {
        jdbc.sql("""
                        WITH p AS (SELECT id FROM prospect WHERE score_memory IS NOT NULL FOR NO KEY UPDATE)
                        INSERT INTO prospect_due (prospect_id, next_decay_at)
                        SELECT id, :now FROM p
                        ON CONFLICT (prospect_id) DO UPDATE SET next_decay_at = excluded.next_decay_at""").param("now", Timestamp.from(now)).update();
    }

    /**
     * Grade, grading profile and explanation (JSON text) of these prospects; returns the ids that changed. The grades
     * they replace are read first, by a statement of their own: with the grades read in a CTE of the UPDATE and joined
     * to its RETURNING, PostgreSQL's generic plan of the prepared statement (estimating 10 rows for {@code ANY(:ids)})
     * probed the whole id list once per updated row — 10,000 × 10,000 index probes, over a minute, for a page of
     * 10,000 new prospects (the Salesforce initial sync, W11).
     */
    public List<GradeWrite> writeGrades(Long[] ids, String[] grades, Long[] profileIds, String[] explanations) {
        Map<Long, String> before = new HashMap<>();
        jdbc.sql("SELECT id, grade FROM prospect WHERE id = ANY(:ids)")
                .param("ids", ids)
                .query(rs -> {
                    before.put(rs.getLong(1), rs.getString(2));
                });
        return jdbc.sql("""
                        UPDATE prospect p
                           SET grade = u.grade, grading_profile_id = u.profile_id, grade_explanation = u.explanation
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:grades AS text[]), CAST(:profiles AS bigint[]),
                                      CAST(:explanations AS jsonb[])) AS u(id, grade, profile_id, explanation)
                         WHERE p.id = u.id AND p.id = ANY(:ids)  -- ids also as ANY: an index scan of the ids; the join alone hashed the whole table
                           AND (p.grade IS DISTINCT FROM u.grade OR p.grading_profile_id IS DISTINCT FROM u.profile_id
                                OR p.grade_explanation IS DISTINCT FROM u.explanation)
                        RETURNING p.id, p.grade""")
                .param("ids", ids)
                .param("grades", grades)
                .param("profiles", profileIds)
                .param("explanations", explanations)
                .query((rs, n) -> new GradeWrite(
                        rs.getLong("id"),
                        rs.getString("grade"),
                        !java.util.Objects.equals(before.get(rs.getLong("id")), rs.getString("grade"))))
                .list();
    }

    /** A prospect whose grading columns {@link #writeGrades} changed; {@code gradeChanged} when the grade itself did. */
    public record GradeWrite(long id, String grade, boolean gradeChanged) {}

    /** The owner of each prospect, {@code users} in the order of {@code prospects}. */
    public void writeOwners(List<Long> prospects, List<Long> users, Instant at) {
        jdbc.sql("""
                        UPDATE prospect p SET owner_id = u.user_id, updated_at = :at
                          FROM unnest(CAST(:prospects AS bigint[]), CAST(:users AS bigint[])) AS u(id, user_id)
                         WHERE p.id = u.id""")
                .param("prospects", prospects.toArray(Long[]::new))
                .param("users", users.toArray(Long[]::new))
                .param("at", Timestamp.from(at))
                .update();
    }

    /**
     * Gives each prospect the owner a system of record says (a CRM connector), one statement for the batch, touching
     * only the rows where the owner changes; returns those ids (the caller publishes what happened).
     */
    public List<Long> changeOwners(Map<Long, Long> owners, Instant at) {
        if (owners.isEmpty()) {
            return List.of();
        }
        Long[] ids = owners.keySet().toArray(Long[]::new);
        return jdbc.sql("""
                        UPDATE prospect p SET owner_id = u.user_id, updated_at = :at
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:users AS bigint[])) AS u(id, user_id)
                         WHERE p.id = u.id AND p.id = ANY(:ids)  -- ids also as ANY: an index scan of the ids
                           AND p.owner_id IS DISTINCT FROM u.user_id
                        RETURNING p.id""")
                .param("ids", ids)
                .param("users", java.util.Arrays.stream(ids).map(owners::get).toArray(Long[]::new))
                .param("at", Timestamp.from(at))
                .query(Long.class)
                .list();
    }

    /** Sets each prospect's next condition check (NULL when none), touching only rows where it changes. */
    public void writeConditionChecks(List<Long> ids, Map<Long, Instant> checks) {
        Long[] idArray = ids.toArray(Long[]::new);
        Timestamp[] at = ids.stream()
                .map(id -> checks.get(id) == null ? null : Timestamp.from(checks.get(id)))
                .toArray(Timestamp[]::new);
        writeDue(idArray, new String[] {"condition_check_at"}, at);
    }

    /**
     * Brings each prospect's next condition check forward to the instant given for it when that is earlier than the
     * stored one (or none is stored), in one statement; a later instant leaves the stored check as it is. For a
     * caller that knows one condition's next flips only (a dynamic list's edited condition), where the stored check
     * is the first flip of the others. The caller holds the prospects' rows locked. Returns how many checks moved.
     */
    public int advanceConditionChecks(Map<Long, Instant> checks) {
        if (checks.isEmpty()) {
            return 0;
        }
        Long[] ids = checks.keySet().stream().sorted().toArray(Long[]::new);
        Timestamp[] at = java.util.Arrays.stream(ids)
                .map(id -> Timestamp.from(checks.get(id)))
                .toArray(Timestamp[]::new);
        return jdbc.sql("""
                        INSERT INTO prospect_due AS d (prospect_id, condition_check_at)
                        SELECT u.id, u.at FROM unnest(CAST(:ids AS bigint[]), CAST(:at AS timestamptz[])) AS u(id, at)
                        ON CONFLICT (prospect_id) DO UPDATE SET condition_check_at = excluded.condition_check_at
                         WHERE d.condition_check_at IS NULL OR d.condition_check_at > excluded.condition_check_at""").param("ids", ids).param("at", at).update();
    }

    /** Opts the prospect out of marketing email; true when it was not already. */
    public boolean optOut(long prospectId, Instant now) {
        return jdbc.sql("UPDATE prospect SET opted_out = true, updated_at = :now WHERE id = :id AND NOT opted_out")
                        .param("id", prospectId)
                        .param("now", Timestamp.from(now))
                        .update()
                > 0;
    }

    /** Marks the prospect's address undeliverable; true when it was not already. */
    public boolean markHardBounced(long prospectId, Instant now) {
        return jdbc.sql(
                                "UPDATE prospect SET hard_bounced = true, updated_at = :now WHERE id = :id AND NOT hard_bounced")
                        .param("id", prospectId)
                        .param("now", Timestamp.from(now))
                        .update()
                > 0;
    }

    /** Sets do-not-email on these prospects; publishes {@link ProspectsChanged} for those where it changed. */
    public void setDoNotEmail(List<Long> ids, boolean value, Instant now) {
        List<Long> changed = jdbc.sql("""
                        UPDATE prospect SET do_not_email = :value, updated_at = :now
                         WHERE id = ANY(:ids) AND do_not_email <> :value RETURNING id""")
                .param("value", value)
                .param("now", Timestamp.from(now))
                .param("ids", ids.toArray(Long[]::new))
                .query(Long.class)
                .list();
        if (!changed.isEmpty()) {
            // the one field conditions read of it (no other field is computed from it): a settle does not evaluate
            // every condition again, nor read the prospect's activities again, for an unsubscribing rule's flag
            events.publishEvent(
                    new ProspectsChanged(new HashSet<>(changed), ConditionReads.fields(Set.of("doNotEmail"))));
        }
    }

    /**
     * Sets a standard field on these prospects (the column comes from the allow-list, never from a request), and
     * publishes {@link ProspectsChanged}.
     */
    public void setField(List<Long> ids, ProspectField field, Object value, Instant now) {
        jdbc.sql("UPDATE prospect SET " + field.column() + " = :value, updated_at = :now WHERE id = ANY(:ids)")
                .param("value", value)
                .param("now", Timestamp.from(now))
                .param("ids", ids.toArray(Long[]::new))
                .update();
        events.publishEvent(new ProspectsChanged(new HashSet<>(ids)));
    }

    /**
     * Sets a custom field to a JSON value on these prospects, or removes it when {@code jsonValue} is null, and
     * publishes {@link ProspectsChanged}.
     */
    public void setCustomField(List<Long> ids, String name, String jsonValue, Instant now) {
        Long[] idArray = ids.toArray(Long[]::new);
        if (jsonValue == null) {
            jdbc.sql("UPDATE prospect SET custom = custom - :key, updated_at = :now WHERE id = ANY(:ids)")
                    .param("key", name)
                    .param("now", Timestamp.from(now))
                    .param("ids", idArray)
                    .update();
        } else {
            jdbc.sql("""
                            UPDATE prospect SET custom = custom || jsonb_build_object(:key, CAST(:value AS jsonb)),
                                                updated_at = :now
                             WHERE id = ANY(:ids)""")
                    .param("key", name)
                    .param("value", jsonValue)
                    .param("now", Timestamp.from(now))
                    .param("ids", idArray)
                    .update();
        }
        events.publishEvent(new ProspectsChanged(new HashSet<>(ids)));
    }
}
