package dev.kindling.sales;

import dev.kindling.engine.sla.SlaClock;
import dev.kindling.engine.sla.SlaPolicy;
import dev.kindling.engine.sla.SlaState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Handoffs: one per assignment of a lead (MQL, SAL or a hand-raised SQL) to a rep, the unit the SLA measures.
 * Everything here runs in the caller's transaction and in batch. The SLA state is stored with the instant it
 * changes next ({@code sla_check_at}), which {@link SlaCheckJob} sweeps; an attempt or an outcome settles it at once.
 */
@Component
class Handoffs {

    /** An assignment that starts a handoff; {@code teamId} null means the user's own team. */
    record Start(long prospectId, long userId, Long teamId, Instant at, Long assignmentId) {}

    /** An open handoff as the actions need it. */
    record Open(
            long id,
            long prospectId,
            long userId,
            Long teamId,
            Instant assignedAt,
            Instant firstAttemptAt,
            int attempts,
            boolean connected,
            Instant acceptedAt,
            SlaState state,
            Instant atRiskAt,
            Instant dueAt) {

        Instant firstTouchAt() {
            return firstAttemptAt != null ? firstAttemptAt : acceptedAt;
        }

        SlaClock.Window window() {
            return new SlaClock.Window(assignedAt, atRiskAt, dueAt);
        }
    }

    static final Set<String> SLA_STAGES = Set.of("MQL", "SAL", "SQL");
    static final Set<String> CONNECTED = Set.of("CONNECTED", "MEETING_SET", "REPLIED");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SalesSettings settings;
    private final Tasks tasks;

    Handoffs(JdbcClient jdbc, Clock clock, SalesSettings settings, Tasks tasks) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
        this.tasks = tasks;
    }

    /** The subject of the follow-up task every handoff opens (SPEC §9). */
    static final String FOLLOW_UP = "Follow up: first contact with the new lead";

    /**
     * Opens a handoff per assignment of a prospect in an SLA stage; an open handoff of the same prospect to another
     * user is closed as REASSIGNED (the new owner's clock starts), one to the same user is kept. Each new handoff
     * gives its rep the follow-up task of SPEC §9, due when the first contact is (24 h by default). Returns how many
     * opened.
     */
    int start(List<Start> starts) {
        if (starts.isEmpty()) {
            return 0;
        }
        SlaPolicy policy = settings.policy();
        Instant now = clock.instant();
        List<Start> sorted = starts.stream()
                .sorted(Comparator.comparingLong(Start::prospectId))
                .toList();
        Long[] prospects = sorted.stream().map(Start::prospectId).toArray(Long[]::new);
        Long[] users = sorted.stream().map(Start::userId).toArray(Long[]::new);
        jdbc.sql("""
                        UPDATE sales_handoff h SET open = false, outcome = 'REASSIGNED', outcome_at = :now, sla_check_at = NULL
                          FROM unnest(CAST(:prospects AS bigint[]), CAST(:users AS bigint[])) AS a(prospect_id, user_id)
                         WHERE h.prospect_id = a.prospect_id AND h.open AND h.user_id <> a.user_id""")
                .param("now", Timestamp.from(now))
                .param("prospects", prospects)
                .param("users", users)
                .update();
        List<Long> ids = new ArrayList<>();
        List<Long> userIds = new ArrayList<>();
        List<Long> teams = new ArrayList<>();
        List<Long> assignments = new ArrayList<>();
        List<Timestamp> at = new ArrayList<>();
        List<Timestamp> due = new ArrayList<>();
        List<Timestamp> atRisk = new ArrayList<>();
        List<String> states = new ArrayList<>();
        List<Timestamp> breached = new ArrayList<>();
        List<Timestamp> checks = new ArrayList<>();
        for (Start s : sorted) {
            SlaClock.Status status = SlaClock.evaluate(policy, s.at(), null, now);
            ids.add(s.prospectId());
            userIds.add(s.userId());
            teams.add(s.teamId());
            assignments.add(s.assignmentId());
            at.add(Timestamp.from(s.at()));
            due.add(Timestamp.from(status.dueAt()));
            atRisk.add(Timestamp.from(status.atRiskAt()));
            states.add(status.state().name());
            breached.add(status.state() == SlaState.BREACHED ? Timestamp.from(status.dueAt()) : null);
            checks.add(status.nextCheckAt() == null ? null : Timestamp.from(status.nextCheckAt()));
        }
        List<Tasks.NewTask> followUps = jdbc.sql("""
                        INSERT INTO sales_handoff (prospect_id, user_id, team_id, assignment_id, assigned_at, stage_at_start,
                                                   score_at_start, grade_at_start, due_at, at_risk_at, sla_state, breached_at,
                                                   sla_check_at)
                        SELECT p.id, a.user_id, coalesce(a.team_id, u.team_id), a.assignment_id, a.at, p.stage,
                               p.score, p.grade, a.due, a.at_risk, a.state, a.breached, a.check_at
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:users AS bigint[]), CAST(:teams AS bigint[]),
                                      CAST(:assignments AS bigint[]), CAST(:at AS timestamptz[]), CAST(:due AS timestamptz[]),
                                      CAST(:atRisk AS timestamptz[]), CAST(:states AS text[]),
                                      CAST(:breached AS timestamptz[]), CAST(:checks AS timestamptz[]))
                               AS a(prospect_id, user_id, team_id, assignment_id, at, due, at_risk, state, breached, check_at)
                          JOIN prospect p ON p.id = a.prospect_id
                          JOIN app_user u ON u.id = a.user_id
                         WHERE p.stage IN ('MQL', 'SAL', 'SQL')
                           AND NOT EXISTS (SELECT 1 FROM sales_handoff h WHERE h.prospect_id = p.id AND h.open)
                        ON CONFLICT DO NOTHING
                        RETURNING id, prospect_id, user_id, due_at""")
                .param("ids", ids.toArray(Long[]::new))
                .param("users", userIds.toArray(Long[]::new))
                .param("teams", teams.toArray(Long[]::new))
                .param("assignments", assignments.toArray(Long[]::new))
                .param("at", at.toArray(Timestamp[]::new))
                .param("due", due.toArray(Timestamp[]::new))
                .param("atRisk", atRisk.toArray(Timestamp[]::new))
                .param("states", states.toArray(String[]::new))
                .param("breached", breached.toArray(Timestamp[]::new))
                .param("checks", checks.toArray(Timestamp[]::new))
                .query((rs, n) -> new Tasks.NewTask(
                        rs.getLong("prospect_id"),
                        rs.getLong("user_id"),
                        FOLLOW_UP,
                        rs.getTimestamp("due_at").toInstant(),
                        "handoff:" + rs.getLong("id"),
                        rs.getLong("id")))
                .list();
        tasks.create(followUps);
        return followUps.size();
    }

    /** The prospect's open handoff, its row locked. */
    Optional<Open> lockOpen(long prospectId) {
        return jdbc.sql("SELECT " + OPEN_COLUMNS + " FROM sales_handoff WHERE prospect_id = :id AND open FOR UPDATE")
                .param("id", prospectId)
                .query(Handoffs::open)
                .optional();
    }

    /** The prospect's open handoff, if any. */
    Optional<Open> open(long prospectId) {
        return jdbc.sql("SELECT " + OPEN_COLUMNS + " FROM sales_handoff WHERE prospect_id = :id AND open")
                .param("id", prospectId)
                .query(Handoffs::open)
                .optional();
    }

    /** Counts an attempt on the open handoff: the first one settles the SLA (MET in time, BREACHED late). */
    void attempted(Open h, Instant at, String outcome) {
        Instant firstTouch = h.firstTouchAt() == null ? at : h.firstTouchAt();
        settle(h, firstTouch, """
                attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, :at),
                connected = connected OR :connected""", at, CONNECTED.contains(outcome));
    }

    /** Records an outcome: ACCEPTED keeps the handoff open (the SAL is still worked); REJECTED and CONVERTED close it. */
    void outcome(Open h, String outcome, Instant at, String rejectReason) {
        Instant firstTouch = h.firstTouchAt() == null ? at : h.firstTouchAt();
        String set = outcome.equals("ACCEPTED")
                ? "accepted_at = coalesce(accepted_at, :at), outcome = 'ACCEPTED'"
                : "outcome = '" + outcome + "', outcome_at = :at, open = false, reject_reason = :reason";
        jdbc.sql("UPDATE sales_handoff SET " + set + " WHERE id = :id")
                .param("at", Timestamp.from(at))
                .param("reason", rejectReason)
                .param("id", h.id())
                .update();
        settle(h, firstTouch, "attempts = attempts", at, false);
    }

    private void settle(Open h, Instant firstTouch, String set, Instant at, boolean connected) {
        SlaClock.Status status = SlaClock.evaluate(h.window(), firstTouch, clock.instant());
        // a state already final keeps its verdict: a breach is not undone by a later policy
        SlaState state = h.state().isFinal() ? h.state() : status.state();
        tasks.followedUp(h.id(), firstTouch);
        jdbc.sql("UPDATE sales_handoff SET " + set + """
                        , sla_state = :state, sla_check_at = NULL,
                          breached_at = CASE WHEN :state = 'BREACHED' THEN coalesce(breached_at, :due) END
                         WHERE id = :id""")
                .param("at", Timestamp.from(at))
                .param("connected", connected)
                .param("state", state.name())
                .param("due", Timestamp.from(status.dueAt()))
                .param("id", h.id())
                .update();
    }

    static final String OPEN_COLUMNS = """
            id, prospect_id, user_id, team_id, assigned_at, first_attempt_at, attempts, connected, accepted_at, sla_state,
            at_risk_at, due_at""";

    static Open open(ResultSet rs, int n) throws SQLException {
        return new Open(
                rs.getLong("id"),
                rs.getLong("prospect_id"),
                rs.getLong("user_id"),
                (Long) rs.getObject("team_id"),
                rs.getTimestamp("assigned_at").toInstant(),
                instant(rs.getTimestamp("first_attempt_at")),
                rs.getInt("attempts"),
                rs.getBoolean("connected"),
                instant(rs.getTimestamp("accepted_at")),
                SlaState.valueOf(rs.getString("sla_state")),
                rs.getTimestamp("at_risk_at").toInstant(),
                rs.getTimestamp("due_at").toInstant());
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
