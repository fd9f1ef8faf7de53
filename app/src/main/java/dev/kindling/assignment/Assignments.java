package dev.kindling.assignment;

import dev.kindling.platform.web.NotFoundException;
import dev.kindling.prospects.ProspectRows;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Gives prospects an owner, in the caller's transaction and in batch: one statement locks the prospects (id order),
 * one matches territories, one locks each team's rotation (its {@code team} row, {@code FOR NO KEY UPDATE}, so two
 * batches assigning in one team take turns and both see the other's assignments) and reads its members by who was
 * assigned least recently, one inserts the {@code assignment} rows and one sets {@code prospect.owner_id}. An owned
 * prospect keeps its owner unless the assignment is forced. Publishes {@link ProspectsAssigned} and
 * {@link ProspectsAssigned} (the owner is a condition, so watchers re-evaluate them) before returning.
 */
@Component
public class Assignments {

    private static final Logger log = LoggerFactory.getLogger(Assignments.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final AssignmentSettings settings;

    private final ProspectRows prospectRows;

    Assignments(
            JdbcClient jdbc,
            Clock clock,
            ApplicationEventPublisher events,
            AssignmentSettings settings,
            ProspectRows prospectRows) {
        this.prospectRows = prospectRows;
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
        this.settings = settings;
    }

    private record Target(Long teamId, Long userId) {}

    private record Locked(long id, Long ownerId, String country, String industry, Integer employees) {}

    /**
     * Assigns these prospects as {@code cause} says; owned ones are skipped unless {@code forced}, and so are those
     * for whom no owner can be found (no setting, an empty team, an inactive user). Returns what was recorded.
     */
    @Transactional
    public List<Assignment> assign(Collection<Long> prospectIds, AssignmentCause cause, boolean forced) {
        if (prospectIds.isEmpty()) {
            return List.of();
        }
        AssignmentCause how = cause;
        if (cause instanceof AssignmentCause.StageEntry entry) {
            AssignmentSettings.Setting setting = settings.forStage(entry.stage());
            how = switch (setting.mode()) {
                case NONE -> null;
                case ROUND_ROBIN -> new AssignmentCause.RoundRobin(setting.teamId(), cause.cause());
                case TERRITORY -> new AssignmentCause.Territories(setting.teamId(), cause.cause());
            };
            if (how == null) {
                return List.of();
            }
        }
        List<Locked> rows = lock(prospectIds, how instanceof AssignmentCause.Territories);
        if (!forced) {
            rows = rows.stream().filter(r -> r.ownerId() == null).toList();
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, Target> targets = new LinkedHashMap<>();
        switch (how) {
            case AssignmentCause.RoundRobin rr -> rows.forEach(r -> targets.put(r.id(), new Target(rr.teamId(), null)));
            case AssignmentCause.ToUser to -> rows.forEach(r -> targets.put(r.id(), new Target(null, to.userId())));
            case AssignmentCause.Territories t -> targets.putAll(territories(rows, t.fallbackTeamId()));
            case AssignmentCause.StageEntry e -> throw new IllegalStateException("resolved above");
        }
        return record(rows, targets, how.cause(), forced, false);
    }

    /**
     * Hands owned prospects to their owner again (a re-qualified lead is a new handoff: its own assignment, notice and
     * SLA clock): an assignment to the current owner, when that owner is an active INSIDE_SALES or SALES user.
     * Unowned prospects, and those whose owner is no longer eligible, are left to {@link #assign}. Returns what was
     * recorded.
     */
    @Transactional
    public List<Assignment> renew(Collection<Long> prospectIds, String cause) {
        if (prospectIds.isEmpty()) {
            return List.of();
        }
        List<Locked> rows = jdbc.sql("""
                        SELECT p.id, p.owner_id FROM prospect p JOIN app_user u ON u.id = p.owner_id
                         WHERE p.id = ANY(:ids) AND u.active AND u.role IN ('INSIDE_SALES', 'SALES')
                         ORDER BY p.id FOR NO KEY UPDATE OF p""")
                .param("ids", prospectIds.stream().distinct().sorted().toArray(Long[]::new))
                .query((rs, n) -> new Locked(rs.getLong(1), rs.getLong(2), null, null, null))
                .list();
        Map<Long, Target> targets = new LinkedHashMap<>();
        rows.forEach(r -> targets.put(r.id(), new Target(null, r.ownerId())));
        return record(rows, targets, cause, false, true);
    }

    /**
     * Makes {@code userId} the owner of the prospect (forced replaces an owner; otherwise an owned prospect is left
     * alone and the result is null). 404 when either does not exist.
     */
    @Transactional
    public Assignment assignTo(long prospectId, long userId, String cause, boolean forced) {
        boolean user = jdbc.sql("SELECT count(*) FROM app_user WHERE id = :id")
                        .param("id", userId)
                        .query(Long.class)
                        .single()
                > 0;
        if (!user) {
            throw new NotFoundException("No user " + userId);
        }
        List<Locked> rows = lock(List.of(prospectId), false);
        if (rows.isEmpty()) {
            throw new NotFoundException("No prospect " + prospectId);
        }
        if (!forced && rows.getFirst().ownerId() != null) {
            return null;
        }
        List<Assignment> done = record(rows, Map.of(prospectId, new Target(null, userId)), cause, forced, false);
        return done.isEmpty() ? null : done.getFirst();
    }

    /** A prospect's assignments, newest first. */
    public List<Assignment> history(long prospectId) {
        return jdbc.sql("""
                        SELECT id, prospect_id, user_id, team_id, at, cause, forced FROM assignment
                         WHERE prospect_id = :id ORDER BY id DESC""")
                .param("id", prospectId)
                .query((rs, n) -> new Assignment(
                        rs.getLong("prospect_id"),
                        rs.getLong("user_id"),
                        (Long) rs.getObject("team_id"),
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("cause"),
                        rs.getBoolean("forced"),
                        rs.getLong("id")))
                .list();
    }

    private List<Locked> lock(Collection<Long> ids, boolean firmographics) {
        // the account's country, industry and size stand in for the prospect's own when it has none
        String columns = firmographics
                ? "coalesce(p.country, a.country) AS country, coalesce(p.industry, a.industry) AS industry, "
                        + "coalesce(p.employees, a.employees) AS employees"
                : "NULL AS country, NULL AS industry, NULL AS employees";
        return jdbc.sql("SELECT p.id, p.owner_id, " + columns + " " + """
                         FROM prospect p LEFT JOIN account a ON a.id = p.account_id
                        WHERE p.id = ANY(:ids) ORDER BY p.id FOR NO KEY UPDATE OF p""")
                .param("ids", ids.stream().distinct().sorted().toArray(Long[]::new))
                .query((rs, n) -> new Locked(
                        rs.getLong("id"),
                        (Long) rs.getObject("owner_id"),
                        rs.getString("country"),
                        rs.getString("industry"),
                        (Integer) rs.getObject("employees")))
                .list();
    }

    /** The first matching territory of each prospect (by position, then id); the fallback team for the others. */
    private Map<Long, Target> territories(List<Locked> rows, Long fallbackTeamId) {
        Map<Long, Target> out = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT u.id, t.team_id, t.user_id
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:countries AS text[]), CAST(:industries AS text[]),
                                      CAST(:employees AS integer[])) AS u(id, country, industry, employees)
                          LEFT JOIN LATERAL (
                               SELECT t.team_id, t.user_id FROM territory t
                                WHERE (cardinality(t.countries) = 0
                                       OR lower(u.country) IN (SELECT lower(c) FROM unnest(t.countries) c))
                                  AND (cardinality(t.industries) = 0
                                       OR lower(u.industry) IN (SELECT lower(i) FROM unnest(t.industries) i))
                                  AND (t.min_employees IS NULL OR u.employees >= t.min_employees)
                                  AND (t.max_employees IS NULL OR u.employees <= t.max_employees)
                                ORDER BY t.position, t.id LIMIT 1) t ON true
                         ORDER BY u.id""")
                .param("ids", rows.stream().map(Locked::id).toArray(Long[]::new))
                .param("countries", rows.stream().map(Locked::country).toArray(String[]::new))
                .param("industries", rows.stream().map(Locked::industry).toArray(String[]::new))
                .param("employees", rows.stream().map(Locked::employees).toArray(Integer[]::new))
                .query(rs -> {
                    Long team = (Long) rs.getObject("team_id");
                    Long user = (Long) rs.getObject("user_id");
                    if (team == null && user == null) {
                        if (fallbackTeamId != null) {
                            out.put(rs.getLong("id"), new Target(fallbackTeamId, null));
                        }
                    } else {
                        out.put(rs.getLong("id"), new Target(team, user));
                    }
                });
        return out;
    }

    /**
     * Chooses the owners (round-robin in each team, in prospect id order, the rotation advancing as it goes) and
     * writes the assignments; a prospect whose owner would not change is left alone unless {@code renew}.
     */
    private List<Assignment> record(
            List<Locked> rows, Map<Long, Target> targets, String cause, boolean forced, boolean renew) {
        Map<Long, Deque<Long>> rotations = rotations(new TreeSet<>(targets.values().stream()
                .map(Target::teamId)
                .filter(Objects::nonNull)
                .toList()));
        Map<Long, Boolean> activeUsers = activeUsers(targets.values().stream()
                .filter(t -> t.teamId() == null)
                .map(Target::userId)
                .distinct()
                .toList());
        Instant now = clock.instant();
        List<Long> prospects = new ArrayList<>();
        List<Long> users = new ArrayList<>();
        List<Long> teams = new ArrayList<>();
        List<Boolean> forcedFlags = new ArrayList<>();
        Map<Long, Integer> skippedTeams = new HashMap<>();
        for (Locked row : rows) {
            Target target = targets.get(row.id());
            if (target == null) {
                continue;
            }
            Long user;
            if (target.teamId() != null) {
                Deque<Long> rotation = rotations.get(target.teamId());
                if (rotation == null || rotation.isEmpty()) {
                    skippedTeams.merge(target.teamId(), 1, Integer::sum);
                    continue;
                }
                user = rotation.pollFirst();
                rotation.addLast(user);
            } else {
                user = Boolean.TRUE.equals(activeUsers.get(target.userId())) ? target.userId() : null;
            }
            if (user == null || (user.equals(row.ownerId()) && !renew)) {
                continue;
            }
            prospects.add(row.id());
            users.add(user);
            teams.add(target.teamId());
            forcedFlags.add(forced && row.ownerId() != null);
        }
        skippedTeams.forEach((team, n) -> log.warn(
                "Assignment: team {} has no active INSIDE_SALES or SALES member; {} prospects left unassigned",
                team,
                n));
        if (prospects.isEmpty()) {
            return List.of();
        }
        Timestamp at = Timestamp.from(now);
        // ids follow the order of the rows, so "assigned least recently" (the newest id per user) is the rotation order
        List<Long> ids = jdbc.sql("""
                        INSERT INTO assignment (prospect_id, user_id, team_id, at, cause, forced)
                        SELECT u.prospect_id, u.user_id, u.team_id, :at, :cause, u.forced
                          FROM unnest(CAST(:prospects AS bigint[]), CAST(:users AS bigint[]), CAST(:teams AS bigint[]),
                                      CAST(:forced AS boolean[])) WITH ORDINALITY AS u(prospect_id, user_id, team_id, forced, n)
                         ORDER BY u.n
                        RETURNING id""")
                .param("prospects", prospects.toArray(Long[]::new))
                .param("users", users.toArray(Long[]::new))
                .param("teams", teams.toArray(Long[]::new))
                .param("forced", forcedFlags.toArray(Boolean[]::new))
                .param("at", at)
                .param("cause", cause)
                .query(Long.class)
                .list();
        prospectRows.writeOwners(prospects, users, now);
        List<Long> sortedIds = ids.stream().sorted().toList();
        List<Assignment> done = new ArrayList<>();
        for (int i = 0; i < prospects.size(); i++) {
            done.add(new Assignment(
                    prospects.get(i), users.get(i), teams.get(i), now, cause, forcedFlags.get(i), sortedIds.get(i)));
        }
        events.publishEvent(new ProspectsAssigned(done));
        return done;
    }

    /**
     * Each team's eligible members (active INSIDE_SALES and SALES), least recently assigned first and, among those
     * never assigned, the oldest user first; the team rows are locked in id order for the rest of the transaction.
     */
    private Map<Long, Deque<Long>> rotations(TreeSet<Long> teamIds) {
        Map<Long, Deque<Long>> out = new HashMap<>();
        if (teamIds.isEmpty()) {
            return out;
        }
        jdbc.sql("SELECT id FROM team WHERE id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE")
                .param("ids", teamIds.toArray(Long[]::new))
                .query(Long.class)
                .list();
        jdbc.sql("""
                        SELECT u.team_id, u.id FROM app_user u
                         WHERE u.team_id = ANY(:ids) AND u.active AND u.role IN ('INSIDE_SALES', 'SALES')
                         ORDER BY u.team_id,
                                  (SELECT max(a.id) FROM assignment a WHERE a.user_id = u.id) ASC NULLS FIRST,
                                  u.created_at, u.id""").param("ids", teamIds.toArray(Long[]::new)).query(rs -> {
            out.computeIfAbsent(rs.getLong(1), k -> new ArrayDeque<>()).addLast(rs.getLong(2));
        });
        return out;
    }

    private Map<Long, Boolean> activeUsers(List<Long> ids) {
        Map<Long, Boolean> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        jdbc.sql("SELECT id, active FROM app_user WHERE id = ANY(:ids)")
                .param("ids", ids.toArray(Long[]::new))
                .query(rs -> {
                    out.put(rs.getLong(1), rs.getBoolean(2));
                });
        return out;
    }
}
