package dev.kindling.people;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Teams, for the API and the settings page alike: a unique name and an optional manager, who must be an active user
 * in a sales role (INSIDE_SALES or SALES). Members are the users whose {@code teamId} names the team. A team still in
 * use (members, territories, assignment settings, recorded assignments) cannot be deleted.
 */
@Component
public class Teams {

    private final AuditLog audit;

    /** The roles a manager may have: the people who work the leads. */
    public static final Set<String> MANAGER_ROLES = Set.of("INSIDE_SALES", "SALES");

    private static final Set<String> FIELDS = Set.of("name", "managerId");

    private final JdbcClient jdbc;
    private final Clock clock;

    Teams(JdbcClient jdbc, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public List<TeamView> list() {
        return query("ORDER BY t.name, t.id", Map.of());
    }

    public TeamView get(long id) {
        return query("WHERE t.id = :id", Map.of("id", id)).stream()
                .findFirst()
                .orElseThrow(() -> new NotFoundException("No team " + id));
    }

    @Transactional
    public TeamView create(Map<String, Object> raw) {
        Map<String, Object> input = validated(raw, true);
        uniqueName((String) input.get("name"), null);
        long id = jdbc.sql(
                        "INSERT INTO team (name, manager_id, created_at) VALUES (:name, :manager, :now) RETURNING id")
                .param("name", input.get("name"))
                .param("manager", input.get("managerId"))
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
        audit.record(AuditEntry.created("team", id, get(id)));
        return get(id);
    }

    @Transactional
    public TeamView update(long id, Map<String, Object> raw) {
        TeamView before = get(id);
        Map<String, Object> input = validated(raw, false);
        if (input.containsKey("name")) {
            uniqueName((String) input.get("name"), id);
            jdbc.sql("UPDATE team SET name = :name WHERE id = :id")
                    .param("name", input.get("name"))
                    .param("id", id)
                    .update();
        }
        if (input.containsKey("managerId")) {
            jdbc.sql("UPDATE team SET manager_id = :manager WHERE id = :id")
                    .param("manager", input.get("managerId"))
                    .param("id", id)
                    .update();
        }
        audit.record(AuditEntry.updated("team", id, before, get(id)));
        return get(id);
    }

    @Transactional
    public void delete(long id) {
        TeamView team = get(id);
        List<String> uses = new ArrayList<>();
        if (!team.memberIds().isEmpty()) {
            uses.add(team.memberIds().size() + " members");
        }
        long territories = count("SELECT count(*) FROM territory WHERE team_id = :id", id);
        if (territories > 0) {
            uses.add(territories + " territories");
        }
        if (count("SELECT count(*) FROM assignment_setting WHERE team_id = :id", id) > 0) {
            uses.add("the assignment settings");
        }
        if (count("SELECT count(*) FROM assignment WHERE team_id = :id", id) > 0) {
            uses.add("recorded assignments");
        }
        if (!uses.isEmpty()) {
            throw new ConflictException("Team " + id + " is in use by " + String.join(", ", uses));
        }
        jdbc.sql("DELETE FROM team WHERE id = :id").param("id", id).update();
        audit.record(AuditEntry.deleted("team", id, team));
    }

    private long count(String sql, long id) {
        return jdbc.sql(sql).param("id", id).query(Long.class).single();
    }

    private void uniqueName(String name, Long except) {
        boolean taken =
                jdbc.sql("SELECT count(*) FROM team WHERE lower(name) = lower(:name) AND id IS DISTINCT FROM :except")
                                .param("name", name)
                                .param("except", except)
                                .query(Long.class)
                                .single()
                        > 0;
        if (taken) {
            throw new ConflictException("A team named \"" + name + "\" exists");
        }
    }

    Map<String, Object> validated(Map<String, Object> raw, boolean creating) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> out = new HashMap<>();
        for (String key : raw.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        if (raw.containsKey("name") || creating) {
            if (!(raw.get("name") instanceof String name)
                    || name.isBlank()
                    || name.strip().length() > 200) {
                errors.add(new FieldError("name", "is required, at most 200 characters"));
            } else {
                out.put("name", name.strip());
            }
        }
        if (raw.containsKey("managerId")) {
            Object manager = raw.get("managerId");
            if (manager == null) {
                out.put("managerId", null);
            } else if (!(manager instanceof Long id)) {
                errors.add(new FieldError("managerId", "must be a user id"));
            } else {
                managerProblem(id)
                        .ifPresentOrElse(
                                m -> errors.add(new FieldError("managerId", m)), () -> out.put("managerId", id));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return out;
    }

    /** Why this user cannot manage a team, if they cannot. */
    java.util.Optional<String> managerProblem(long userId) {
        record User(String role, boolean active) {}
        User u = jdbc.sql("SELECT role, active FROM app_user WHERE id = :id")
                .param("id", userId)
                .query((rs, n) -> new User(rs.getString(1), rs.getBoolean(2)))
                .optional()
                .orElse(null);
        if (u == null) {
            return java.util.Optional.of("names no user");
        }
        if (!MANAGER_ROLES.contains(u.role())) {
            return java.util.Optional.of(
                    "names a " + u.role() + " user; a manager must be in a sales role (INSIDE_SALES or SALES)");
        }
        return u.active() ? java.util.Optional.empty() : java.util.Optional.of("names an inactive user");
    }

    /** The teams this user manages, by name (empty when none). */
    List<String> managedBy(long userId) {
        return jdbc.sql("SELECT name FROM team WHERE manager_id = :id ORDER BY name")
                .param("id", userId)
                .query(String.class)
                .list();
    }

    private List<TeamView> query(String tail, Map<String, Object> params) {
        return jdbc.sql("""
                        SELECT t.id, t.name, t.manager_id, t.created_at,
                               ARRAY(SELECT u.id FROM app_user u WHERE u.team_id = t.id ORDER BY u.id) AS members
                          FROM team t""" + " " + tail)
                .params(params)
                .query((rs, n) -> new TeamView(
                        rs.getLong("id"),
                        rs.getString("name"),
                        (Long) rs.getObject("manager_id"),
                        List.of((Long[]) rs.getArray("members").getArray()),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }
}
