package dev.kindling.programs;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.program.Enrollment;
import dev.kindling.engine.program.ProgramDefinition;
import dev.kindling.engine.program.ProgramError;
import dev.kindling.engine.program.ProgramRunner;
import dev.kindling.engine.program.ProgramStatus;
import dev.kindling.engine.program.ProgramValidator;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starting, pausing and resuming programs, and enrolling prospects: on start every current recipient enrolls in one
 * set-based pass, later a prospect enrolls when it joins a recipient list ({@link ProgramWatcher}) or through the
 * "add to program" action. The engine decides who may enroll ({@link ProgramRunner#entry}: one open enrollment per
 * prospect per program, re-entry, recipient and suppression lists); the unique index makes it so under races. New
 * enrollments are due at once and left to the sweep, so enrolling stays a batch insert.
 */
@Component
public class Enrollments {

    private final AuditLog audit;

    static final int CHUNK = 5_000;

    private final Programs programs;
    private final EnrollmentRows rows;
    private final ProgramAdvancer advancer;
    private final JdbcClient jdbc;
    private final Clock clock;

    Enrollments(
            Programs programs,
            EnrollmentRows rows,
            ProgramAdvancer advancer,
            JdbcClient jdbc,
            Clock clock,
            AuditLog audit) {
        this.audit = audit;
        this.programs = programs;
        this.rows = rows;
        this.advancer = advancer;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** One enrollment as the API and pages show it. */
    public record EnrollmentView(
            long id,
            long programId,
            String programName,
            int version,
            long prospectId,
            String email,
            String status,
            String stepId,
            Instant enteredAt,
            Instant dueAt,
            List<String> pausedBy,
            Instant enrolledAt,
            Instant finishedAt,
            String reason) {}

    /** Starts a DRAFT program (it must be ready: emails filled) and enrolls its current recipients; returns how many. */
    @Transactional
    public int start(long programId) {
        Programs.ProgramRow row = programs.lock(programId);
        ProgramStatus next = move(row, ProgramStatus::start);
        ProgramDefinition d = programs.definition(programId, row.currentVersion());
        List<ProgramError> notReady = ProgramValidator.readyToStart(d);
        if (!notReady.isEmpty()) {
            throw new InvalidInputException(
                    notReady.stream().map(Programs::error).toList());
        }
        Instant now = clock.instant();
        jdbc.sql("UPDATE program SET status = :status, started_at = :now WHERE id = :id")
                .param("status", next.name())
                .param("now", Timestamp.from(now))
                .param("id", programId)
                .update();
        audited(row, "start", next);
        if (d.recipientListIds().isEmpty()) {
            return 0;
        }
        List<Long> members = jdbc.sql("""
                        SELECT DISTINCT m.prospect_id FROM list_member m
                         WHERE m.list_id = ANY(:recipients)
                           AND NOT EXISTS (SELECT 1 FROM list_member s
                                            WHERE s.prospect_id = m.prospect_id AND s.list_id = ANY(:suppressions))
                           AND NOT EXISTS (SELECT 1 FROM program_enrollment e
                                            WHERE e.program_id = :program AND e.prospect_id = m.prospect_id)
                         ORDER BY m.prospect_id""")
                .param("recipients", d.recipientListIds().toArray(Long[]::new))
                .param("suppressions", d.suppressionListIds().toArray(Long[]::new))
                .param("program", programId)
                .query(Long.class)
                .list();
        int enrolled = 0;
        for (int from = 0; from < members.size(); from += CHUNK) {
            enrolled += insert(d, members.subList(from, Math.min(members.size(), from + CHUNK)), now)
                    .size();
        }
        return enrolled;
    }

    /** Pauses a running program: its enrollments keep the remaining time of their waits. */
    @Transactional
    public void pause(long programId) {
        Programs.ProgramRow row = programs.lock(programId);
        ProgramStatus next = move(row, ProgramStatus::pause);
        Instant now = clock.instant();
        jdbc.sql("UPDATE program SET status = :status, paused_at = :now WHERE id = :id")
                .param("status", next.name())
                .param("now", Timestamp.from(now))
                .param("id", programId)
                .update();
        audited(row, "pause", next);
        ProgramRunner runner = advancer.runner();
        eachOpen(
                programId,
                batch -> advancer.apply(
                        batch, now, (d, e) -> runner.pause(e, Enrollment.PauseReason.PROGRAM, now), runner, false));
    }

    /** Resumes a paused program: relative waits are due their remaining time from now. */
    @Transactional
    public void resume(long programId) {
        Programs.ProgramRow row = programs.lock(programId);
        ProgramStatus next = move(row, ProgramStatus::resume);
        Instant now = clock.instant();
        jdbc.sql("UPDATE program SET status = :status, paused_at = NULL WHERE id = :id")
                .param("status", next.name())
                .param("id", programId)
                .update();
        audited(row, "resume", next);
        ProgramRunner runner = advancer.runner();
        eachOpen(
                programId,
                batch -> advancer.apply(
                        batch, now, (d, e) -> runner.resume(d, e, Enrollment.PauseReason.PROGRAM, now), runner, false));
    }

    /** The program's next status by the engine's status machine; 409 naming why when the move is not allowed. */
    private static ProgramStatus move(Programs.ProgramRow row, java.util.function.UnaryOperator<ProgramStatus> move) {
        try {
            return move.apply(row.status());
        } catch (ProgramStatus.Refused e) {
            throw new ConflictException("program " + row.id() + " " + e.getMessage());
        }
    }

    private void audited(Programs.ProgramRow row, String action, ProgramStatus next) {
        audit.record(AuditEntry.of(
                "program", row.id(), action, Map.of("status", row.status().name()), Map.of("status", next.name())));
    }

    /** Ends these prospects' open enrollments in the program (EXITED with {@code reason}); returns how many ended. */
    int remove(long programId, List<Long> prospectIds, String reason) {
        List<Enrollment> open = rows.lockOpenOfProgramFor(programId, prospectIds.toArray(Long[]::new));
        if (open.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        ProgramRunner runner = advancer.runner();
        return advancer.apply(open, now, (d, e) -> runner.exit(e, reason, now), runner, false);
    }

    private void eachOpen(long programId, java.util.function.Consumer<List<Enrollment>> action) {
        long after = 0;
        while (true) {
            List<Enrollment> batch = rows.lockOpenOfProgram(programId, after, CHUNK);
            if (batch.isEmpty()) {
                return;
            }
            action.accept(batch);
            after = batch.getLast().id();
        }
    }

    /**
     * Enrolls those of these prospects the engine lets in ({@link ProgramRunner#entry}) into a program's latest
     * version, in the caller's transaction. Enrolling into a program that is not running does nothing.
     *
     * @param facts each prospect's facts (its list memberships at least), by id
     * @return the enrollments made
     */
    List<Enrollment> enroll(long programId, Map<Long, ProspectFacts> facts) {
        Programs.ProgramRow row = programs.get(programId);
        if (!row.status().enrolls() || facts.isEmpty()) {
            return List.of();
        }
        ProgramDefinition d = programs.definition(programId, row.currentVersion());
        Map<Long, Enrollment.Status> previous = latest(programId, facts.keySet());
        ProgramRunner runner = advancer.runner();
        List<Long> admitted = new ArrayList<>();
        facts.forEach((id, f) -> {
            if (runner.entry(d, f, previous.get(id)) == ProgramRunner.EntryDecision.ENROLL) {
                admitted.add(id);
            }
        });
        return insert(d, admitted, clock.instant());
    }

    /**
     * {@link #enroll} for several running programs' latest versions at once (the event path hands every running
     * program its candidates): the previous enrollments of all candidates in all programs in one query, then one
     * insert per program that admits someone.
     *
     * @param candidates per running program's latest definition, the list memberships of the prospects that may enter, by id
     * @return the prospects enrolled in some program
     */
    Set<Long> enrollAll(Map<ProgramDefinition, Map<Long, Set<Long>>> candidates) {
        Map<ProgramDefinition, Map<Long, Set<Long>>> live = new java.util.LinkedHashMap<>();
        candidates.forEach((d, facts) -> {
            if (!facts.isEmpty()) {
                live.put(d, facts);
            }
        });
        if (live.isEmpty()) {
            return Set.of();
        }
        Set<Long> programIds = new HashSet<>();
        Set<Long> prospectIds = new HashSet<>();
        live.forEach((d, facts) -> {
            programIds.add(d.programId());
            prospectIds.addAll(facts.keySet());
        });
        Map<Long, Map<Long, Enrollment.Status>> previous = new HashMap<>();
        jdbc.sql("""
                        SELECT DISTINCT ON (program_id, prospect_id) program_id, prospect_id, status FROM program_enrollment
                         WHERE program_id = ANY(:programs) AND prospect_id = ANY(:ids)
                         ORDER BY program_id, prospect_id, id DESC""")
                .param("programs", programIds.toArray(Long[]::new))
                .param("ids", prospectIds.toArray(Long[]::new))
                .query((java.sql.ResultSet rs) -> {
                    previous.computeIfAbsent(rs.getLong("program_id"), k -> new HashMap<>())
                            .put(rs.getLong("prospect_id"), Enrollment.Status.valueOf(rs.getString("status")));
                });
        ProgramRunner runner = advancer.runner();
        Instant now = clock.instant();
        Map<ProgramDefinition, List<Long>> admitted = new java.util.LinkedHashMap<>();
        live.forEach((d, facts) -> {
            Map<Long, Enrollment.Status> before = previous.getOrDefault(d.programId(), Map.of());
            facts.forEach((id, listIds) -> {
                if (runner.entry(d, listIds, before.get(id)) == ProgramRunner.EntryDecision.ENROLL) {
                    admitted.computeIfAbsent(d, k -> new ArrayList<>()).add(id);
                }
            });
        });
        // the admitted of all programs in one id allocation, one insert and one entry insert (they were three
        // statements per program with admissions, each evaluation: W1 in docs/benchmarks.md)
        insert(admitted, now);
        Set<Long> enrolled = new HashSet<>();
        admitted.values().forEach(enrolled::addAll);
        return enrolled;
    }

    private List<Enrollment> insert(ProgramDefinition d, List<Long> prospectIds, Instant now) {
        return insert(Map.of(d, prospectIds), now);
    }

    private List<Enrollment> insert(Map<ProgramDefinition, List<Long>> prospectIdsByProgram, Instant now) {
        int n = prospectIdsByProgram.values().stream().mapToInt(List::size).sum();
        if (n == 0) {
            return List.of();
        }
        long[] ids = rows.newIds(n);
        ProgramRunner runner = advancer.runner();
        List<Enrollment> fresh = new ArrayList<>();
        Map<Long, String> startOf = new HashMap<>();
        prospectIdsByProgram.forEach((d, prospectIds) -> {
            for (Long prospectId : prospectIds) {
                Enrollment e =
                        runner.enroll(d, ids[fresh.size()], prospectId, now).enrollment();
                fresh.add(e);
                startOf.put(e.id(), d.start());
            }
        });
        List<Enrollment> inserted = rows.insert(fresh, now);
        rows.entered(
                inserted.stream().map(Enrollment::id).toList(),
                inserted.stream().map(Enrollment::programId).toList(),
                inserted.stream()
                        .map(e -> new dev.kindling.engine.program.Effect.StepEntered(startOf.get(e.id()), 1, now))
                        .toList());
        return inserted;
    }

    /** The status of each prospect's latest enrollment in the program. */
    Map<Long, Enrollment.Status> latest(long programId, Collection<Long> prospectIds) {
        Map<Long, Enrollment.Status> latest = new HashMap<>();
        jdbc.sql("""
                        SELECT DISTINCT ON (prospect_id) prospect_id, status FROM program_enrollment
                         WHERE program_id = :program AND prospect_id = ANY(:ids)
                         ORDER BY prospect_id, id DESC""")
                .param("program", programId)
                .param("ids", prospectIds.toArray(Long[]::new))
                .query((rs, n) ->
                        latest.put(rs.getLong("prospect_id"), Enrollment.Status.valueOf(rs.getString("status"))))
                .list();
        return latest;
    }

    /** The enrollments of a program (newest first), optionally only those in a status. */
    public List<EnrollmentView> ofProgram(long programId, String status, int limit) {
        programs.get(programId);
        if (status != null
                && java.util.Arrays.stream(Enrollment.Status.values())
                        .noneMatch(s -> s.name().equals(status))) {
            throw new InvalidInputException(
                    List.of(new FieldError("status", "must be ACTIVE, PAUSED, COMPLETED or EXITED")));
        }
        return jdbc.sql(VIEW
                        + " WHERE e.program_id = :program AND (CAST(:status AS text) IS NULL OR e.status = :status)"
                        + " ORDER BY e.id DESC LIMIT :limit")
                .param("program", programId)
                .param("status", status)
                .param("limit", limit)
                .query(Enrollments::view)
                .list();
    }

    /** A prospect's enrollments, newest first, with where each stands. */
    public List<EnrollmentView> ofProspect(long prospectId) {
        return jdbc.sql(VIEW + " WHERE e.prospect_id = :prospect ORDER BY e.id DESC LIMIT 100")
                .param("prospect", prospectId)
                .query(Enrollments::view)
                .list();
    }

    private static final String VIEW = """
            SELECT e.id, e.program_id, p.name, e.version, e.prospect_id, x.email, e.status, e.step_id, e.entered_at,
                   e.due_at, e.paused_by, e.enrolled_at, e.finished_at, e.reason
              FROM program_enrollment e JOIN program p ON p.id = e.program_id JOIN prospect x ON x.id = e.prospect_id""";

    private static EnrollmentView view(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp due = rs.getTimestamp("due_at");
        Timestamp finished = rs.getTimestamp("finished_at");
        List<String> pausedBy = new ArrayList<>();
        for (Object o : (Object[]) rs.getArray("paused_by").getArray()) {
            pausedBy.add((String) o);
        }
        return new EnrollmentView(
                rs.getLong("id"),
                rs.getLong("program_id"),
                rs.getString("name"),
                rs.getInt("version"),
                rs.getLong("prospect_id"),
                rs.getString("email"),
                rs.getString("status"),
                rs.getString("step_id"),
                rs.getTimestamp("entered_at").toInstant(),
                due == null ? null : due.toInstant(),
                pausedBy,
                rs.getTimestamp("enrolled_at").toInstant(),
                finished == null ? null : finished.toInstant(),
                rs.getString("reason"));
    }

    /** Used by {@link ProgramWatcher}: the running programs' latest definitions. */
    List<ProgramDefinition> runningDefinitions() {
        List<ProgramDefinition> all = new ArrayList<>();
        for (Programs.ProgramRow row : programs.running()) {
            all.add(programs.definition(row.id(), row.currentVersion()));
        }
        return all;
    }

    static Set<Long> union(Collection<Long> a, Collection<Long> b) {
        Set<Long> s = new HashSet<>(a);
        s.addAll(b);
        return s;
    }
}
