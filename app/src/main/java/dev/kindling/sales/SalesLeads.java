package dev.kindling.sales;

import dev.kindling.engine.sla.SlaClock;
import dev.kindling.engine.sla.SlaPolicy;
import dev.kindling.engine.sla.SlaState;
import dev.kindling.platform.web.InvalidInputException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads for inside sales: the queue (MQL and SAL leads owned by me or my team, best first) and one lead's sales
 * state (handoff, SLA, attempts). SLA states are computed at read time by the engine from the stored instants, so
 * the page is right to the second even between two sweeps; the stored state drives notices and reports.
 */
@Component
class SalesLeads {

    static final int PAGE = 50;
    static final Set<String> SCOPES = Set.of("mine", "team", "all");
    static final Set<String> STAGES = Set.of("MQL", "SAL");

    /** The SLA of a lead's current handoff (or, on the lead page, its latest one: {@code open} false) as of now. */
    record Sla(
            long handoffId,
            Instant assignedAt,
            Instant dueAt,
            SlaState state,
            int percentUsed,
            int attempts,
            int minAttempts,
            boolean connected,
            Instant firstAttemptAt,
            Instant acceptedAt,
            String outcome,
            boolean open) {}

    /** A line of the queue. */
    record QueueRow(
            long prospectId,
            String email,
            String name,
            String company,
            String stage,
            int score,
            String grade,
            String quadrant,
            Long ownerId,
            String ownerName,
            Sla sla,
            Instant lastAttemptAt) {}

    /** A page of the queue, and the user's own open tasks (the earliest due first). */
    record Queue(
            String scope,
            String stage,
            String sla,
            String q,
            int page,
            boolean hasNext,
            List<QueueRow> items,
            List<Tasks.Task> tasks) {}

    record AttemptView(long id, String kind, String outcome, String note, Instant at, long userId, String userName) {}

    /** A lead's sales state: its queue line, and every attempt newest first. */
    record Lead(QueueRow lead, List<AttemptView> attempts) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SalesSettings settings;
    private final Tasks tasks;

    SalesLeads(JdbcClient jdbc, Clock clock, SalesSettings settings, Tasks tasks) {
        this.tasks = tasks;
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    private static final String SELECT = """
            SELECT p.id, p.email, trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) AS name, p.company,
                   p.stage, p.score, p.grade, prospect_quadrant(p.score, p.grade) AS quadrant, p.owner_id,
                   o.name AS owner_name, h.id AS handoff_id, h.assigned_at, h.first_attempt_at, h.accepted_at,
                   h.attempts, h.connected, h.outcome, h.sla_state, h.at_risk_at, h.due_at, h.open,
                   (SELECT max(a.at) FROM sales_attempt a WHERE a.prospect_id = p.id) AS last_attempt_at
              FROM prospect p
              LEFT JOIN app_user o ON o.id = p.owner_id
            """;

    private static final String OPEN_HANDOFF = " LEFT JOIN sales_handoff h ON h.prospect_id = p.id AND h.open";

    /** The lead page's handoff: the open one, else the latest (an accepted and converted lead shows how it went). */
    private static final String LATEST_HANDOFF = """
             LEFT JOIN LATERAL (SELECT * FROM sales_handoff h WHERE h.prospect_id = p.id
                                 ORDER BY h.open DESC, h.id DESC LIMIT 1) h ON true""";

    Queue queue(Rep rep, String scope, String stage, String sla, String q, int page) {
        List<dev.kindling.platform.web.FieldError> errors = new ArrayList<>();
        String sc = scope == null || scope.isBlank()
                ? defaultScope(rep)
                : scope.strip().toLowerCase(Locale.ROOT);
        if (!SCOPES.contains(sc)) {
            errors.add(new dev.kindling.platform.web.FieldError("scope", "must be one of mine, team, all"));
        }
        String st = stage == null || stage.isBlank() ? null : stage.strip().toUpperCase(Locale.ROOT);
        if (st != null && !STAGES.contains(st)) {
            errors.add(new dev.kindling.platform.web.FieldError("stage", "must be MQL or SAL"));
        }
        String slaState = sla == null || sla.isBlank() ? null : sla.strip().toUpperCase(Locale.ROOT);
        if (slaState != null
                && java.util.Arrays.stream(SlaState.values())
                        .noneMatch(s -> s.name().equals(slaState))) {
            errors.add(
                    new dev.kindling.platform.web.FieldError("sla", "must be one of ON_TRACK, AT_RISK, BREACHED, MET"));
        }
        if (q != null && q.length() > 200) {
            errors.add(new dev.kindling.platform.web.FieldError("q", "must be at most 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        StringBuilder sql = new StringBuilder(SELECT).append(OPEN_HANDOFF).append(" WHERE p.stage IN ('MQL', 'SAL')");
        Map<String, Object> params = new HashMap<>();
        switch (sc) {
            case "mine" -> {
                sql.append(" AND p.owner_id = :me");
                params.put("me", rep.id());
            }
            case "team" -> {
                sql.append(" AND (p.owner_id = :me OR p.owner_id IN (SELECT id FROM app_user WHERE team_id = :team))");
                params.put("me", rep.id());
                params.put("team", rep.teamId() == null ? -1L : rep.teamId());
            }
            default -> sql.append(" AND p.owner_id IS NOT NULL");
        }
        if (st != null) {
            sql.append(" AND p.stage = :stage");
            params.put("stage", st);
        }
        if (q != null && !q.isBlank()) {
            sql.append(" AND (p.email ILIKE :q ESCAPE '\\' OR p.company ILIKE :q ESCAPE '\\'"
                    + " OR (coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) ILIKE :q ESCAPE '\\')");
            params.put(
                    "q",
                    "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (slaState != null) {
            // the stored state may lag the clock by one sweep; filter wide, then exactly on the live state below
            sql.append(" AND h.id IS NOT NULL");
        }
        sql.append("""
                 ORDER BY array_position(ARRAY['HOT','NURTURE','SCREEN','DISCARD'], prospect_quadrant(p.score, p.grade)),
                          grade_rank(p.grade) DESC NULLS LAST, p.score DESC, p.id
                """);
        int pageNo = Math.max(1, page);
        SlaPolicy policy = settings.policy();
        List<QueueRow> rows;
        if (slaState == null) {
            sql.append(" LIMIT :limit OFFSET :offset");
            params.put("limit", PAGE + 1);
            params.put("offset", (pageNo - 1) * PAGE);
            rows = jdbc.sql(sql.toString())
                    .params(params)
                    .query((rs, n) -> row(rs, policy))
                    .list();
        } else {
            rows = jdbc.sql(sql.toString()).params(params).query((rs, n) -> row(rs, policy)).list().stream()
                    .filter(r -> r.sla() != null && r.sla().state().name().equals(slaState))
                    .skip((long) (pageNo - 1) * PAGE)
                    .limit(PAGE + 1)
                    .toList();
        }
        boolean hasNext = rows.size() > PAGE;
        return new Queue(
                sc, st, slaState, q, pageNo, hasNext, hasNext ? rows.subList(0, PAGE) : rows, tasks.openOf(rep.id()));
    }

    /**
     * The queue a user opens on: their own and their team's leads; an admin in no team (who owns no leads and has no
     * team's) opens on all of them.
     */
    static String defaultScope(Rep rep) {
        return rep.role() == dev.kindling.platform.security.Role.ADMIN && rep.teamId() == null ? "all" : "team";
    }

    Optional<Lead> lead(long prospectId) {
        SlaPolicy policy = settings.policy();
        Optional<QueueRow> row = jdbc.sql(SELECT + LATEST_HANDOFF + " WHERE p.id = :id")
                .param("id", prospectId)
                .query((rs, n) -> row(rs, policy))
                .optional();
        return row.map(r -> new Lead(r, attempts(prospectId)));
    }

    List<AttemptView> attempts(long prospectId) {
        return jdbc.sql("""
                        SELECT a.id, a.kind, a.outcome, a.note, a.at, a.user_id, u.name
                          FROM sales_attempt a JOIN app_user u ON u.id = a.user_id
                         WHERE a.prospect_id = :id ORDER BY a.at DESC, a.id DESC LIMIT 200""")
                .param("id", prospectId)
                .query((rs, n) -> new AttemptView(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getLong(6),
                        rs.getString(7)))
                .list();
    }

    private QueueRow row(ResultSet rs, SlaPolicy p) throws SQLException {
        Sla sla = null;
        long handoff = rs.getLong("handoff_id");
        if (!rs.wasNull()) {
            Instant assigned = rs.getTimestamp("assigned_at").toInstant();
            Instant first = Handoffs.instant(rs.getTimestamp("first_attempt_at"));
            Instant accepted = Handoffs.instant(rs.getTimestamp("accepted_at"));
            SlaState stored = SlaState.valueOf(rs.getString("sla_state"));
            SlaClock.Window window = new SlaClock.Window(
                    assigned,
                    rs.getTimestamp("at_risk_at").toInstant(),
                    rs.getTimestamp("due_at").toInstant());
            SlaClock.Status status = SlaClock.evaluate(window, first != null ? first : accepted, clock.instant());
            SlaState state = stored.isFinal() ? stored : status.state();
            sla = new Sla(
                    handoff,
                    assigned,
                    status.dueAt(),
                    state,
                    status.percentUsed(),
                    rs.getInt("attempts"),
                    p.minAttempts(),
                    rs.getBoolean("connected"),
                    first,
                    accepted,
                    rs.getString("outcome"),
                    rs.getBoolean("open"));
        }
        Timestamp last = rs.getTimestamp("last_attempt_at");
        String name = rs.getString("name");
        return new QueueRow(
                rs.getLong("id"),
                rs.getString("email"),
                name == null || name.isBlank() ? null : name,
                rs.getString("company"),
                rs.getString("stage"),
                rs.getInt("score"),
                rs.getString("grade"),
                rs.getString("quadrant"),
                (Long) rs.getObject("owner_id"),
                rs.getString("owner_name"),
                sla,
                last == null ? null : last.toInstant());
    }
}
