package dev.kindling.programs;

import dev.kindling.engine.program.Effect;
import dev.kindling.engine.program.Enrollment;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Enrollments as rows, read and written in batches: a fixed number of statements whatever the batch size. Also the
 * two per-step records: the executed-step keys (UNIQUE: {@link #claim} returns only the keys this transaction was
 * the first to record, so a step's effects run once) and the step entries.
 */
@Component
class EnrollmentRows {

    static final String COLUMNS = """
            e.id, e.program_id, e.version, e.prospect_id, e.status, e.step_id, e.entered_at, e.due_at, e.frozen_ms,
            e.paused_by, CAST(e.visits AS text) AS visits, e.last_email""";

    private static final TypeReference<Map<String, Integer>> VISITS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    /**
     * Reads a row's visits: the type resolved once (resolving it per row through the mapper's type cache was a
     * third of the cost of reading an enrollment, and the watchers read every open enrollment of each prospect
     * they are handed).
     */
    private final ObjectReader visitsReader;
    /**
     * Visits read before, by their stored text: most open enrollments of a program stand at the same step having
     * visited the same steps once, so few texts recur across thousands of rows. Bounded: cleared past
     * {@value #VISITS_CACHED} texts.
     */
    private final Map<String, Map<String, Integer>> visitsByText = new ConcurrentHashMap<>();

    static final int VISITS_CACHED = 1_024;

    EnrollmentRows(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.visitsReader = json.readerFor(VISITS);
    }

    /** Due enrollments, oldest due first, locked; rows another transaction holds are skipped. */
    List<Enrollment> lockDue(Instant now, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM program_enrollment e
                        WHERE e.status = 'ACTIVE' AND e.due_at <= :now
                        ORDER BY e.due_at
                        LIMIT :limit
                          FOR UPDATE SKIP LOCKED""")
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .query(this::enrollment)
                .list();
    }

    /**
     * The open (active or paused) enrollments of these prospects but those in {@code except}, not locked (the
     * watcher locks only those that move: {@link #lockOpen}).
     */
    List<Enrollment> openOf(Long[] prospectIds, Long[] except) {
        // a probe of the prospect's index range per prospect ({@code OFFSET 0} keeps the lateral from being flattened):
        // as "prospect_id = ANY", the planner, pricing each heap page as a random read, scanned the whole table on
        // every call of W1's realistic configuration, a few hundred open rows a call out of every enrollment. Each
        // probe reads the unique open index, (prospect_id, program_id) since V766: with the program first (V180's),
        // on statistics older than the programs' enrollments, the planner took it and scanned it whole per prospect
        Long[] sorted = prospectIds.clone();
        java.util.Arrays.sort(sorted);
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM unnest(CAST(:ids AS bigint[])) AS u(id)
                        CROSS JOIN LATERAL (SELECT * FROM program_enrollment x
                                             WHERE x.prospect_id = u.id AND x.status IN ('ACTIVE', 'PAUSED')
                                            OFFSET 0) e
                        WHERE NOT (e.id = ANY(:except))
                        ORDER BY e.id""")
                .param("ids", sorted)
                .param("except", except)
                .query(this::enrollment)
                .list();
    }

    /**
     * These enrollments as they stand now, those still open, locked in id order; rows another transaction holds are
     * skipped.
     */
    List<Enrollment> lockOpen(Long[] ids) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM program_enrollment e
                        WHERE e.id = ANY(:ids) AND e.status IN ('ACTIVE', 'PAUSED')
                        ORDER BY e.id
                          FOR UPDATE SKIP LOCKED""")
                .param("ids", ids)
                .query(this::enrollment)
                .list();
    }

    /** The open enrollments of these prospects in a program, locked. */
    List<Enrollment> lockOpenOfProgramFor(long programId, Long[] prospectIds) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM program_enrollment e
                        WHERE e.program_id = :program AND e.prospect_id = ANY(:ids) AND e.status IN ('ACTIVE', 'PAUSED')
                        ORDER BY e.id
                          FOR UPDATE""")
                .param("program", programId)
                .param("ids", prospectIds)
                .query(this::enrollment)
                .list();
    }

    /** The open enrollments of a program, locked (pausing or resuming it), {@code limit} from after id {@code after}. */
    List<Enrollment> lockOpenOfProgram(long programId, long after, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM program_enrollment e
                        WHERE e.program_id = :program AND e.status IN ('ACTIVE', 'PAUSED') AND e.id > :after
                        ORDER BY e.id
                        LIMIT :limit
                          FOR UPDATE""")
                .param("program", programId)
                .param("after", after)
                .param("limit", limit)
                .query(this::enrollment)
                .list();
    }

    long[] newIds(int n) {
        return jdbc
                .sql("SELECT nextval(pg_get_serial_sequence('program_enrollment', 'id')) FROM generate_series(1, :n)")
                .param("n", n)
                .query(Long.class)
                .list()
                .stream()
                .mapToLong(Long::longValue)
                .toArray();
    }

    /**
     * Inserts new enrollments; one that would be a second open enrollment of its prospect in its program is left
     * out (the unique index decides, so two enrollers racing cannot both insert). Returns those inserted.
     */
    List<Enrollment> insert(List<Enrollment> enrollments, Instant now) {
        if (enrollments.isEmpty()) {
            return List.of();
        }
        Set<Long> inserted = new HashSet<>(jdbc.sql("""
                        INSERT INTO program_enrollment (id, program_id, version, prospect_id, status, step_id, entered_at,
                                                        due_at, visits, enrolled_at)
                        SELECT u.id, u.program_id, u.version, u.prospect_id, 'ACTIVE', u.step_id, :now, u.due_at,
                               CAST(u.visits AS jsonb), :now
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:programs AS bigint[]), CAST(:versions AS int[]),
                                      CAST(:prospects AS bigint[]), CAST(:steps AS text[]), CAST(:due AS timestamptz[]),
                                      CAST(:visits AS text[]))
                               AS u(id, program_id, version, prospect_id, step_id, due_at, visits)
                        ON CONFLICT (program_id, prospect_id) WHERE status IN ('ACTIVE', 'PAUSED') DO NOTHING
                        RETURNING id""")
                .param("ids", enrollments.stream().map(Enrollment::id).toArray(Long[]::new))
                .param(
                        "programs",
                        enrollments.stream().map(Enrollment::programId).toArray(Long[]::new))
                .param("versions", enrollments.stream().map(Enrollment::version).toArray(Integer[]::new))
                .param(
                        "prospects",
                        enrollments.stream().map(Enrollment::prospectId).toArray(Long[]::new))
                .param("steps", enrollments.stream().map(Enrollment::stepId).toArray(String[]::new))
                .param(
                        "due",
                        enrollments.stream().map(e -> Timestamp.from(e.dueAt())).toArray(Timestamp[]::new))
                .param(
                        "visits",
                        enrollments.stream()
                                .map(e -> json.writeValueAsString(e.visits()))
                                .toArray(String[]::new))
                .param("now", Timestamp.from(now))
                .query(Long.class)
                .list());
        return enrollments.stream().filter(e -> inserted.contains(e.id())).toList();
    }

    /** Writes the new state of these enrollments; {@code reasons} holds why a finished one finished. */
    void update(List<Enrollment> enrollments, Map<Long, String> reasons, Instant now) {
        if (enrollments.isEmpty()) {
            return;
        }
        int n = enrollments.size();
        Long[] ids = new Long[n];
        String[] status = new String[n];
        String[] step = new String[n];
        Timestamp[] entered = new Timestamp[n];
        Timestamp[] due = new Timestamp[n];
        Long[] frozen = new Long[n];
        String[] pausedBy = new String[n];
        String[] visits = new String[n];
        String[] lastEmail = new String[n];
        String[] reason = new String[n];
        for (int i = 0; i < n; i++) {
            Enrollment e = enrollments.get(i);
            ids[i] = e.id();
            status[i] = e.status().name();
            step[i] = e.stepId();
            entered[i] = Timestamp.from(e.enteredAt());
            due[i] = e.dueAt() == null ? null : Timestamp.from(e.dueAt());
            frozen[i] = e.frozen() == null ? null : e.frozen().toMillis();
            pausedBy[i] = String.join(
                    ",", e.pausedBy().stream().map(Enum::name).sorted().toList());
            visits[i] = json.writeValueAsString(new java.util.TreeMap<>(e.visits()));
            lastEmail[i] = e.lastEmail();
            reason[i] = reasons.get(e.id());
        }
        jdbc.sql("""
                        UPDATE program_enrollment p
                           SET status = u.status, step_id = u.step_id, entered_at = u.entered_at, due_at = u.due_at,
                               frozen_ms = u.frozen_ms,
                               paused_by = CASE WHEN u.paused_by = '' THEN '{}'::text[]
                                                ELSE string_to_array(u.paused_by, ',') END,
                               visits = CAST(u.visits AS jsonb), last_email = u.last_email,
                               finished_at = CASE WHEN u.status IN ('COMPLETED', 'EXITED')
                                                  THEN COALESCE(p.finished_at, CAST(:now AS timestamptz)) END,
                               reason = COALESCE(u.reason, CASE WHEN u.status IN ('COMPLETED', 'EXITED') THEN p.reason END)
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:status AS text[]), CAST(:step AS text[]),
                                      CAST(:entered AS timestamptz[]), CAST(:due AS timestamptz[]),
                                      CAST(:frozen AS bigint[]), CAST(:paused AS text[]), CAST(:visits AS text[]),
                                      CAST(:last AS text[]), CAST(:reason AS text[]))
                               AS u(id, status, step_id, entered_at, due_at, frozen_ms, paused_by, visits, last_email,
                                    reason)
                         WHERE p.id = u.id""")
                .param("ids", ids)
                .param("status", status)
                .param("step", step)
                .param("entered", entered)
                .param("due", due)
                .param("frozen", frozen)
                .param("paused", pausedBy)
                .param("visits", visits)
                .param("last", lastEmail)
                .param("reason", reason)
                .param("now", Timestamp.from(now))
                .update();
    }

    /**
     * A step execution to record under its key; {@code entered}: the step was entered in the same advance, which the
     * run records instead of an entry row (V767).
     */
    record Run(
            String key,
            long enrollmentId,
            long programId,
            int version,
            String stepId,
            int visit,
            String passed,
            Instant at,
            boolean entered) {}

    /**
     * Records executed steps under their idempotency keys and returns the keys recorded now: a key recorded before
     * (an advance retried from an old state, a second sweeper) is left out, and so are its effects. {@code outcomes}
     * holds the outcomes already known by key (written only with a key recorded now).
     */
    Set<String> claim(List<Run> runs, Map<String, String> outcomes) {
        if (runs.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                        INSERT INTO program_step_run (key, enrollment_id, program_id, version, step_id, visit, passed, at,
                                                      outcome, entered)
                        SELECT * FROM unnest(CAST(:keys AS text[]), CAST(:enrollments AS bigint[]),
                                             CAST(:programs AS bigint[]), CAST(:versions AS int[]),
                                             CAST(:steps AS text[]), CAST(:visits AS int[]), CAST(:passed AS text[]),
                                             CAST(:at AS timestamptz[]), CAST(:outcomes AS text[]),
                                             CAST(:entered AS boolean[]))
                        ON CONFLICT (key) DO NOTHING
                        RETURNING key""")
                .param("keys", runs.stream().map(Run::key).toArray(String[]::new))
                .param("enrollments", runs.stream().map(Run::enrollmentId).toArray(Long[]::new))
                .param("programs", runs.stream().map(Run::programId).toArray(Long[]::new))
                .param("versions", runs.stream().map(Run::version).toArray(Integer[]::new))
                .param("steps", runs.stream().map(Run::stepId).toArray(String[]::new))
                .param("visits", runs.stream().map(Run::visit).toArray(Integer[]::new))
                .param("passed", runs.stream().map(Run::passed).toArray(String[]::new))
                .param("at", runs.stream().map(r -> Timestamp.from(r.at())).toArray(Timestamp[]::new))
                .param("outcomes", runs.stream().map(r -> outcomes.get(r.key())).toArray(String[]::new))
                .param("entered", runs.stream().map(Run::entered).toArray(Boolean[]::new))
                .query(String.class)
                .list());
    }

    /**
     * Records the step entries (the report's "entered"), once per enrollment, step and visit: those of steps not
     * executed in the advance that entered them (a run recorded with {@code entered} counts for the others).
     */
    void entered(List<Long> enrollmentIds, List<Long> programIds, List<Effect.StepEntered> entries) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO program_step_entry (enrollment_id, program_id, step_id, visit, at)
                        SELECT * FROM unnest(CAST(:enrollments AS bigint[]), CAST(:programs AS bigint[]),
                                             CAST(:steps AS text[]), CAST(:visits AS int[]), CAST(:at AS timestamptz[]))
                        ON CONFLICT DO NOTHING""")
                .param("enrollments", enrollmentIds.toArray(Long[]::new))
                .param("programs", programIds.toArray(Long[]::new))
                .param("steps", entries.stream().map(Effect.StepEntered::stepId).toArray(String[]::new))
                .param("visits", entries.stream().map(Effect.StepEntered::visit).toArray(Integer[]::new))
                .param("at", entries.stream().map(x -> Timestamp.from(x.at())).toArray(Timestamp[]::new))
                .update();
    }

    /** Notes what a step's action did (SENT, SUPPRESSED:<reason>, SKIPPED:<reason>) and the message it sent. */
    void outcomes(Map<String, String> outcomes, Map<String, Long> messages) {
        if (outcomes.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(outcomes.keySet());
        jdbc.sql("""
                        UPDATE program_step_run r SET outcome = u.outcome, message_id = u.message_id
                          FROM unnest(CAST(:keys AS text[]), CAST(:outcomes AS text[]), CAST(:messages AS bigint[]))
                               AS u(key, outcome, message_id)
                         WHERE r.key = u.key""")
                .param("keys", keys.toArray(String[]::new))
                .param("outcomes", keys.stream().map(outcomes::get).toArray(String[]::new))
                .param("messages", keys.stream().map(messages::get).toArray(Long[]::new))
                .update();
    }

    /** A row's visits as stored (step id to visits, in the stored order), read-only; parsed once per distinct text. */
    private Map<String, Integer> visits(String text) {
        Map<String, Integer> visits = visitsByText.get(text);
        if (visits == null) {
            visits = java.util.Collections.unmodifiableMap(
                    new LinkedHashMap<>(visitsReader.<Map<String, Integer>>readValue(text)));
            if (visitsByText.size() >= VISITS_CACHED) {
                visitsByText.clear();
            }
            visitsByText.put(text, visits);
        }
        return visits;
    }

    Enrollment enrollment(ResultSet rs, int n) throws SQLException {
        Timestamp due = rs.getTimestamp("due_at");
        long frozen = rs.getLong("frozen_ms");
        Duration frozenFor = rs.wasNull() ? null : Duration.ofMillis(frozen);
        Set<Enrollment.PauseReason> pausedBy = EnumSet.noneOf(Enrollment.PauseReason.class);
        Array array = rs.getArray("paused_by");
        if (array != null) {
            for (Object o : (Object[]) array.getArray()) {
                pausedBy.add(Enrollment.PauseReason.valueOf((String) o));
            }
        }
        Map<String, Integer> visits = new LinkedHashMap<>(visits(rs.getString("visits")));
        return new Enrollment(
                rs.getLong("id"),
                rs.getLong("program_id"),
                rs.getInt("version"),
                rs.getLong("prospect_id"),
                Enrollment.Status.valueOf(rs.getString("status")),
                rs.getString("step_id"),
                rs.getTimestamp("entered_at").toInstant(),
                due == null ? null : due.toInstant(),
                frozenFor,
                pausedBy,
                visits,
                rs.getString("last_email"));
    }
}
