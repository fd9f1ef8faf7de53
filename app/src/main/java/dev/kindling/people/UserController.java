package dev.kindling.people;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.platform.security.Accounts;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.platform.web.RequestValidators;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Users: ADMIN only (enforced in the security configuration). A team's manager keeps a sales role and stays active
 * (409 otherwise) until the team names another manager.
 */
@RestController
@RequestMapping(path = "/api/v1/users", produces = "application/json")
class UserController implements RequestValidators {

    private final AuditLog audit;

    private static final Set<String> FIELDS =
            Set.of("email", "name", "role", "password", "teamId", "active", "language", "timeZone");
    private static final String COLUMNS = "id, email, name, role, team_id, active, language, time_zone, created_at";

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final Clock clock;

    private final Teams teams;

    private final Accounts accounts;

    UserController(
            JdbcClient jdbc, PasswordEncoder passwords, Clock clock, Teams teams, AuditLog audit, Accounts accounts) {
        this.accounts = accounts;
        this.audit = audit;
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.clock = clock;
        this.teams = teams;
    }

    @GetMapping
    List<UserView> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_user ORDER BY id")
                .query(UserController::view)
                .list();
    }

    @GetMapping("/{id}")
    UserView get(@PathVariable long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_user WHERE id = :id")
                .param("id", id)
                .query(UserController::view)
                .optional()
                .orElseThrow(() -> new NotFoundException("No user " + id));
    }

    @PostMapping(consumes = "application/json")
    @Transactional
    ResponseEntity<UserView> create(@RequestBody UserRequest body) {
        UserView user = create(body.given());
        return ResponseEntity.created(URI.create("/api/v1/users/" + user.id())).body(user);
    }

    /** Creates a user from validated fields (the API and the users page). */
    @Transactional
    UserView create(Map<String, Object> raw) {
        Map<String, Object> input = validated(raw, true);
        boolean exists = jdbc.sql("SELECT count(*) FROM app_user WHERE email = :email")
                        .param("email", input.get("email"))
                        .query(Long.class)
                        .single()
                > 0;
        if (exists) {
            throw new ConflictException("A user with this email exists");
        }
        long id = accounts.create(
                (String) input.get("email"),
                (String) input.get("name"),
                (String) input.get("role"),
                input.get("password") == null ? null : passwords.encode((String) input.get("password")),
                (Long) input.get("teamId"),
                (Boolean) input.getOrDefault("active", true),
                clock.instant());
        Map<String, Object> locale = new LinkedHashMap<>();
        for (String field : List.of("language", "timeZone")) {
            if (input.containsKey(field)) {
                locale.put(field, input.get(field));
            }
        }
        accounts.update(id, locale);
        audit.record(AuditEntry.created("user", id, get(id)));
        return get(id);
    }

    @PatchMapping(
            path = "/{id}",
            consumes = {"application/json", "application/merge-patch+json"})
    @Transactional
    UserView update(@PathVariable long id, @RequestBody UserRequest body) {
        return update(id, body.given());
    }

    /** Changes the fields given (the API and the users page). */
    @Transactional
    UserView update(long id, Map<String, Object> raw) {
        UserView before = get(id);
        Map<String, Object> input = validated(raw, false);
        if (input.containsKey("email")) {
            throw InvalidInputException.of("email", "cannot be changed; create a new user");
        }
        boolean leavesSales = input.containsKey("role") && !Teams.MANAGER_ROLES.contains((String) input.get("role"));
        boolean deactivated = Boolean.FALSE.equals(input.get("active"));
        List<String> managed = leavesSales || deactivated ? teams.managedBy(id) : List.of();
        if (!managed.isEmpty()) {
            // a team's manager stays an active user in a sales role: name another manager first
            throw new ConflictException("User " + id + " manages " + String.join(", ", managed)
                    + "; choose another manager before changing the role or deactivating");
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        for (String field : List.of("name", "role", "active", "teamId", "language", "timeZone")) {
            if (input.containsKey(field)) {
                changes.put(field, input.get(field));
            }
        }
        if (input.containsKey("password")) {
            changes.put("passwordHash", passwords.encode((String) input.get("password")));
        }
        if (!changes.isEmpty()) {
            accounts.update(id, changes);
            audit.record(AuditEntry.updated("user", id, before, get(id)));
        }
        return get(id);
    }

    /** A user's fields; on a patch only those given change ({@code teamId: null} takes the user out of their team). */
    record UserRequest(
            String email,
            String name,
            String role,
            String password,
            Optional<Long> teamId,
            Boolean active,
            String language,
            String timeZone)
            implements ApiRequest {}

    Map<String, Object> validated(Map<String, Object> raw, boolean creating) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> out = new HashMap<>();
        for (String key : raw.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        Object email = raw.get("email");
        if (raw.containsKey("email") || creating) {
            EmailAddress parsed = email instanceof String s ? EmailAddress.parse(s) : null;
            if (parsed == null) {
                errors.add(new FieldError("email", "must be a valid email address"));
            } else {
                out.put("email", parsed.value());
            }
        }
        if (raw.containsKey("name") || creating) {
            if (!(raw.get("name") instanceof String name) || name.isBlank() || name.length() > 200) {
                errors.add(new FieldError("name", "is required, at most 200 characters"));
            } else {
                out.put("name", name.strip());
            }
        }
        if (raw.containsKey("role") || creating) {
            Object role = raw.get("role");
            if (!(role instanceof String r) || !isRole(r)) {
                errors.add(new FieldError("role", "must be one of ADMIN, MARKETING, INSIDE_SALES, SALES, VIEWER"));
            } else {
                out.put("role", r);
            }
        }
        if (raw.containsKey("password") && raw.get("password") != null) {
            if (!(raw.get("password") instanceof String p) || p.length() < 12 || p.length() > 200) {
                errors.add(new FieldError("password", "must be 12 to 200 characters"));
            } else {
                out.put("password", p);
            }
        }
        if (raw.containsKey("teamId")) {
            Object team = raw.get("teamId");
            if (team != null && !(team instanceof Long)) {
                errors.add(new FieldError("teamId", "must be a team id"));
            } else if (team != null
                    && jdbc.sql("SELECT count(*) FROM team WHERE id = :id")
                                    .param("id", team)
                                    .query(Long.class)
                                    .single()
                            == 0) {
                errors.add(new FieldError("teamId", "names no team"));
            } else {
                out.put("teamId", team);
            }
        }
        // language and time zone: the same choices as the user's own settings page
        if (raw.containsKey("language")) {
            MySettingsPages.languageError(raw.get("language"))
                    .ifPresentOrElse(errors::add, () -> out.put("language", raw.get("language")));
        }
        if (raw.containsKey("timeZone")) {
            MySettingsPages.timeZoneError(raw.get("timeZone"))
                    .ifPresentOrElse(errors::add, () -> out.put("timeZone", raw.get("timeZone")));
        }
        if (raw.containsKey("active")) {
            if (!(raw.get("active") instanceof Boolean b)) {
                errors.add(new FieldError("active", "must be true or false"));
            } else {
                out.put("active", b);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return out;
    }

    private static boolean isRole(String name) {
        for (Role role : Role.values()) {
            if (role.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static UserView view(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new UserView(
                rs.getLong("id"),
                rs.getString("email"),
                rs.getString("name"),
                rs.getString("role"),
                (Long) rs.getObject("team_id"),
                rs.getBoolean("active"),
                rs.getString("language"),
                rs.getString("time_zone"),
                rs.getTimestamp("created_at").toInstant());
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(RequestValidators.rule(
                UserRequest.class, (r, errors) -> ApiRequest.collect(errors, () -> validated(r.given(), false))));
    }
}
