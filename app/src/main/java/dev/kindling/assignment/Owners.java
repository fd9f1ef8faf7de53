package dev.kindling.assignment;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.people.Teams;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

/**
 * Force-assigning a prospect by hand, for the API and the prospect page: ADMIN may give any prospect to any active
 * sales user; an INSIDE_SALES user may give it to a member of a team they manage. Recorded as forced, cause
 * {@code user:<id>}.
 */
@Component
public class Owners {

    private final AuditLog audit;

    /** One line of a prospect's assignment history, with the names a person reads. */
    public record HistoryEntry(
            long id,
            long userId,
            String userName,
            Long teamId,
            String teamName,
            Instant at,
            String cause,
            boolean forced) {}

    private final JdbcClient jdbc;
    private final Assignments assignments;

    Owners(JdbcClient jdbc, Assignments assignments, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.assignments = assignments;
    }

    /** Whether the user with this email may force-assign at all (ADMIN, or INSIDE_SALES managing a team). */
    public boolean mayAssign(String email) {
        return jdbc.sql("""
                        SELECT count(*) FROM app_user u
                         WHERE u.email = :email AND u.active
                           AND (u.role = 'ADMIN'
                                OR u.role = 'INSIDE_SALES' AND EXISTS (SELECT 1 FROM team t WHERE t.manager_id = u.id))""").param("email", email).query(Long.class).single() > 0;
    }

    /** Whether this signed-in user may force-assign at all (ADMIN, or INSIDE_SALES managing a team). */
    public boolean mayAssign(Authentication user) {
        if (Role.any(user, Role.ADMIN)) {
            return true;
        }
        return Role.any(user, Role.INSIDE_SALES)
                && jdbc.sql("""
                        SELECT count(*) FROM team t JOIN app_user u ON u.id = t.manager_id WHERE u.email = :email""")
                                .param("email", user.getName())
                                .query(Long.class)
                                .single()
                        > 0;
    }

    /** Makes {@code raw.userId} the owner of every one of the prospects, all or none (the prospect list's bulk action). */
    @Transactional
    public int forceAll(List<Long> prospectIds, Map<String, Object> raw, Authentication user) {
        prospectIds.forEach(id -> force(id, raw, user));
        return prospectIds.size();
    }

    /** Makes {@code raw.userId} the owner of the prospect (forced); null when it already was. */
    @Transactional
    public Assignment force(long prospectId, Map<String, Object> raw, Authentication user) {
        if (jdbc.sql("SELECT count(*) FROM prospect WHERE id = :id")
                        .param("id", prospectId)
                        .query(Long.class)
                        .single()
                == 0) {
            throw new NotFoundException("No prospect " + prospectId);
        }
        for (String key : raw.keySet()) {
            if (!key.equals("userId")) {
                throw new InvalidInputException(List.of(new FieldError(key, "is not a known field")));
            }
        }
        if (!(raw.get("userId") instanceof Long target)) {
            throw InvalidInputException.of("userId", "is required: the id of the new owner");
        }
        record Target(String role, boolean active, Long teamId) {}
        Target t = jdbc.sql("SELECT role, active, team_id FROM app_user WHERE id = :id")
                .param("id", target)
                .query((rs, n) -> new Target(rs.getString(1), rs.getBoolean(2), (Long) rs.getObject(3)))
                .optional()
                .orElseThrow(() -> InvalidInputException.of("userId", "names no user"));
        if (!Teams.MANAGER_ROLES.contains(t.role()) || !t.active()) {
            throw InvalidInputException.of("userId", "must name an active INSIDE_SALES or SALES user");
        }
        Long me = jdbc.sql("SELECT id FROM app_user WHERE email = :email")
                .param("email", user.getName())
                .query(Long.class)
                .optional()
                .orElse(null);
        if (!Role.any(user, Role.ADMIN)) {
            boolean manages = me != null
                    && t.teamId() != null
                    && jdbc.sql("SELECT count(*) FROM team WHERE id = :team AND manager_id = :me")
                                    .param("team", t.teamId())
                                    .param("me", me)
                                    .query(Long.class)
                                    .single()
                            > 0;
            if (!Role.any(user, Role.INSIDE_SALES) || !manages) {
                throw new ResponseStatusException(
                        HttpStatus.FORBIDDEN,
                        "Only ADMIN, or the INSIDE_SALES manager of the new owner's team, " + "reassigns a prospect");
            }
        }
        Long ownerBefore = jdbc.sql("SELECT owner_id FROM prospect WHERE id = :id")
                .param("id", prospectId)
                .query((rs, n) -> (Long) rs.getObject(1))
                .list()
                .getFirst();
        Assignment assigned =
                assignments.assignTo(prospectId, target, "user:" + (me == null ? user.getName() : me), true);
        audit.record(AuditEntry.of("prospect", prospectId, "owner", ownerMap(ownerBefore), ownerMap(target)));
        return assigned;
    }

    private static Map<String, Object> ownerMap(Long ownerId) {
        Map<String, Object> owner = new java.util.HashMap<>();
        owner.put("ownerId", ownerId);
        return owner;
    }

    /** The prospect's assignments, newest first. */
    public List<HistoryEntry> history(long prospectId) {
        return jdbc.sql("""
                        SELECT a.id, a.user_id, u.name AS user_name, a.team_id, t.name AS team_name, a.at, a.cause, a.forced
                          FROM assignment a JOIN app_user u ON u.id = a.user_id LEFT JOIN team t ON t.id = a.team_id
                         WHERE a.prospect_id = :id ORDER BY a.id DESC""")
                .param("id", prospectId)
                .query((rs, n) -> new HistoryEntry(
                        rs.getLong("id"),
                        rs.getLong("user_id"),
                        rs.getString("user_name"),
                        (Long) rs.getObject("team_id"),
                        rs.getString("team_name"),
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("cause"),
                        rs.getBoolean("forced")))
                .list();
    }

    /** The active INSIDE_SALES and SALES users, by name: who can own prospects. */
    public List<Map<String, Object>> candidates() {
        return jdbc.sql("""
                        SELECT id, name, email FROM app_user WHERE active AND role IN ('INSIDE_SALES', 'SALES')
                         ORDER BY name, id""")
                .query((rs, n) ->
                        Map.<String, Object>of("id", rs.getLong(1), "name", rs.getString(2), "email", rs.getString(3)))
                .list();
    }
}
