package dev.kindling.assignment;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.people.Teams;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Territories for the API and the page: validated (at least one criterion, bounds in order, exactly one of a team or
 * an active sales user), unique by name, and never shadowed — after every write the ordered list is checked, and a
 * territory an earlier one covers entirely is a 409 (the write is rolled back).
 */
@Component
public class Territories {

    private final AuditLog audit;

    static final int MAX_VALUES = 200;
    private static final Set<String> COUNTRIES = Set.of(java.util.Locale.getISOCountries());
    static final int MAX_EMPLOYEES = 10_000_000;
    private static final Set<String> FIELDS =
            Set.of("name", "position", "countries", "industries", "minEmployees", "maxEmployees", "teamId", "userId");

    private final JdbcClient jdbc;
    private final Clock clock;

    Territories(JdbcClient jdbc, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** In matching order. */
    public List<TerritoryView> list() {
        return query("ORDER BY position, id", Map.of());
    }

    public TerritoryView get(long id) {
        return query("WHERE id = :id", Map.of("id", id)).stream()
                .findFirst()
                .orElseThrow(() -> new NotFoundException("No territory " + id));
    }

    @Transactional
    public TerritoryView create(Map<String, Object> raw) {
        Map<String, Object> in = validated(raw, null);
        uniqueName((String) in.get("name"), null);
        Object position = in.containsKey("position")
                ? in.get("position")
                : jdbc.sql("SELECT coalesce(max(position), 0) + 1 FROM territory")
                        .query(Integer.class)
                        .single();
        long id = jdbc.sql("""
                        INSERT INTO territory (name, position, countries, industries, min_employees, max_employees,
                                               team_id, user_id, created_at)
                        VALUES (:name, :position, :countries, :industries, :min, :max, :team, :user, :now) RETURNING id""")
                .param("name", in.get("name"))
                .param("position", position)
                .param("countries", in.get("countries"))
                .param("industries", in.get("industries"))
                .param("min", in.get("minEmployees"))
                .param("max", in.get("maxEmployees"))
                .param("team", in.get("teamId"))
                .param("user", in.get("userId"))
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
        checkShadowing();
        audit.record(AuditEntry.created("territory", id, get(id)));
        return get(id);
    }

    /** Replaces the fields given; the criteria and the target are validated as they stand after the change. */
    @Transactional
    public TerritoryView update(long id, Map<String, Object> raw) {
        TerritoryView current = get(id);
        Map<String, Object> merged = new HashMap<>();
        merged.put("name", current.name());
        merged.put("position", (long) current.position());
        merged.put("countries", new ArrayList<Object>(current.countries()));
        merged.put("industries", new ArrayList<Object>(current.industries()));
        merged.put("minEmployees", current.minEmployees() == null ? null : (long) current.minEmployees());
        merged.put("maxEmployees", current.maxEmployees() == null ? null : (long) current.maxEmployees());
        if (raw.containsKey("teamId") || raw.containsKey("userId")) {
            merged.put("teamId", null);
            merged.put("userId", null);
        } else {
            merged.put("teamId", current.teamId());
            merged.put("userId", current.userId());
        }
        merged.putAll(raw);
        Map<String, Object> in = validated(merged, raw.keySet());
        uniqueName((String) in.get("name"), id);
        jdbc.sql("""
                        UPDATE territory SET name = :name, position = :position, countries = :countries,
                               industries = :industries, min_employees = :min, max_employees = :max,
                               team_id = :team, user_id = :user
                         WHERE id = :id""")
                .param("name", in.get("name"))
                .param("position", in.get("position"))
                .param("countries", in.get("countries"))
                .param("industries", in.get("industries"))
                .param("min", in.get("minEmployees"))
                .param("max", in.get("maxEmployees"))
                .param("team", in.get("teamId"))
                .param("user", in.get("userId"))
                .param("id", id)
                .update();
        checkShadowing();
        audit.record(AuditEntry.updated("territory", id, current, get(id)));
        return get(id);
    }

    @Transactional
    public void delete(long id) {
        audit.record(AuditEntry.deleted("territory", id, get(id)));
        jdbc.sql("DELETE FROM territory WHERE id = :id").param("id", id).update();
    }

    private void checkShadowing() {
        List<TerritoryView> all = list();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                if (all.get(i).rule().covers(all.get(j).rule())) {
                    throw new ConflictException("Territory \"" + all.get(j).name() + "\" would never match: \""
                            + all.get(i).name() + "\" comes first and covers every prospect it would "
                            + "(narrow it, or move it before)");
                }
            }
        }
    }

    private void uniqueName(String name, Long except) {
        boolean taken = jdbc.sql(
                                "SELECT count(*) FROM territory WHERE lower(name) = lower(:name) AND id IS DISTINCT FROM :except")
                        .param("name", name)
                        .param("except", except)
                        .query(Long.class)
                        .single()
                > 0;
        if (taken) {
            throw new ConflictException("A territory named \"" + name + "\" exists");
        }
    }

    /** The validated input; {@code given} names the fields of an update (null when creating: all are given). */
    private Map<String, Object> validated(Map<String, Object> raw, Set<String> given) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> out = new HashMap<>();
        for (String key : given == null ? raw.keySet() : given) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        if (!(raw.get("name") instanceof String name)
                || name.isBlank()
                || name.strip().length() > 200) {
            errors.add(new FieldError("name", "is required, at most 200 characters"));
        } else {
            out.put("name", name.strip());
        }
        if (raw.get("position") != null) {
            if (!(raw.get("position") instanceof Long p) || p < 1 || p > 100_000) {
                errors.add(new FieldError("position", "must be a whole number from 1 to 100000"));
            } else {
                out.put("position", (int) (long) p);
            }
        }
        String[] codes = values(raw.get("countries"), "countries", errors);
        for (int i = 0; i < codes.length; i++) {
            // prospects store ISO codes in upper case (ProspectValidator); a territory names them the same way
            codes[i] = codes[i].toUpperCase(java.util.Locale.ROOT);
            if (!COUNTRIES.contains(codes[i])) {
                errors.add(new FieldError(
                        "countries", "must hold ISO 3166 alpha-2 country codes; \"" + codes[i] + "\" is not one"));
                break;
            }
        }
        out.put("countries", java.util.Arrays.stream(codes).distinct().toArray(String[]::new));
        out.put("industries", values(raw.get("industries"), "industries", errors));
        Integer min = bound(raw.get("minEmployees"), "minEmployees", errors);
        Integer max = bound(raw.get("maxEmployees"), "maxEmployees", errors);
        if (min != null && max != null && min > max) {
            errors.add(new FieldError("maxEmployees", "must not be below minEmployees"));
        }
        out.put("minEmployees", min);
        out.put("maxEmployees", max);
        Object team = raw.get("teamId");
        Object user = raw.get("userId");
        if ((team == null) == (user == null)) {
            errors.add(new FieldError("teamId", "give exactly one of teamId (round-robin in the team) or userId"));
        } else if (team != null) {
            if (!(team instanceof Long t)
                    || jdbc.sql("SELECT count(*) FROM team WHERE id = :id")
                                    .param("id", t)
                                    .query(Long.class)
                                    .single()
                            == 0) {
                errors.add(new FieldError("teamId", "names no team"));
            } else {
                out.put("teamId", t);
            }
        } else {
            String problem = user instanceof Long u ? userProblem(u) : "must be a user id";
            if (problem != null) {
                errors.add(new FieldError("userId", problem));
            } else {
                out.put("userId", user);
            }
        }
        String[] countries = (String[]) out.get("countries");
        String[] industries = (String[]) out.get("industries");
        if (errors.isEmpty()
                && TerritoryRule.of(List.of(countries), List.of(industries), min, max)
                        .empty()) {
            errors.add(new FieldError(
                    "countries",
                    "a territory needs at least one criterion (countries, industries, "
                            + "minEmployees or maxEmployees); prospects no territory matches go to the fallback team"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return out;
    }

    private String userProblem(long id) {
        record User(String role, boolean active) {}
        User u = jdbc.sql("SELECT role, active FROM app_user WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> new User(rs.getString(1), rs.getBoolean(2)))
                .optional()
                .orElse(null);
        if (u == null) {
            return "names no user";
        }
        if (!Teams.MANAGER_ROLES.contains(u.role())) {
            return "names a " + u.role() + " user; prospects go to INSIDE_SALES or SALES users";
        }
        return u.active() ? null : "names an inactive user";
    }

    private static String[] values(Object raw, String field, List<FieldError> errors) {
        if (raw == null) {
            return new String[0];
        }
        if (!(raw instanceof List<?> list) || list.size() > MAX_VALUES) {
            errors.add(new FieldError(field, "must be a list of at most " + MAX_VALUES + " names"));
            return new String[0];
        }
        Set<String> out = new LinkedHashSet<>();
        for (Object v : list) {
            if (!(v instanceof String s) || s.isBlank() || s.strip().length() > 100) {
                errors.add(new FieldError(field, "must hold non-empty names of at most 100 characters"));
                return new String[0];
            }
            out.add(s.strip());
        }
        return out.toArray(String[]::new);
    }

    private static Integer bound(Object raw, String field, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Long l) || l < 0 || l > MAX_EMPLOYEES) {
            errors.add(new FieldError(field, "must be a whole number from 0 to " + MAX_EMPLOYEES));
            return null;
        }
        return (int) (long) l;
    }

    private List<TerritoryView> query(String tail, Map<String, Object> params) {
        return jdbc.sql("""
                        SELECT id, name, position, countries, industries, min_employees, max_employees, team_id, user_id,
                               created_at FROM territory""" + " " + tail)
                .params(params)
                .query((rs, n) -> new TerritoryView(
                        rs.getLong("id"),
                        rs.getString("name"),
                        rs.getInt("position"),
                        List.of((String[]) rs.getArray("countries").getArray()),
                        List.of((String[]) rs.getArray("industries").getArray()),
                        (Integer) rs.getObject("min_employees"),
                        (Integer) rs.getObject("max_employees"),
                        (Long) rs.getObject("team_id"),
                        (Long) rs.getObject("user_id"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }
}
