package dev.kindling.platform.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * The user accounts both doors authenticate, in the {@code app_user} table the platform owns: the users
 * capability (people) and the first-start admin create and change them here, never with SQL of their own.
 */
@Component
public class Accounts {

    /** The changeable columns, by the name callers use. */
    private static final Map<String, String> COLUMNS = Map.of(
            "name",
            "name",
            "role",
            "role",
            "active",
            "active",
            "teamId",
            "team_id",
            "passwordHash",
            "password_hash",
            "language",
            "language",
            "timeZone",
            "time_zone");

    /** An active account as the pages need it: who, their role of this moment, language and time zone. */
    public record Account(long id, String email, Role role, String language, String timeZone) {}

    private final JdbcClient jdbc;

    Accounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The active account with this email, if there is one. */
    public Optional<Account> find(String email) {
        return jdbc.sql("SELECT id, email, role, language, time_zone FROM app_user WHERE email = :email AND active")
                .param("email", email)
                .query((rs, n) -> new Account(
                        rs.getLong(1),
                        rs.getString(2),
                        Role.valueOf(rs.getString(3)),
                        rs.getString(4),
                        rs.getString(5)))
                .optional();
    }

    /** The signed-in user's account as of this request; 403 when the user is no longer active. */
    public Account signedIn(Authentication who) {
        return find(who.getName()).orElseThrow(() -> new AccessDeniedException("No active user " + who.getName()));
    }

    /** Creates an account; returns its id. */
    public long create(
            String email, String name, String role, String passwordHash, Long teamId, boolean active, Instant at) {
        return jdbc.sql("""
                        INSERT INTO app_user (email, name, role, password_hash, team_id, active, created_at)
                        VALUES (:email, :name, :role, :hash, :teamId, :active, :now) RETURNING id""")
                .param("email", email)
                .param("name", name)
                .param("role", role)
                .param("hash", passwordHash)
                .param("teamId", teamId)
                .param("active", active)
                .param("now", Timestamp.from(at))
                .query(Long.class)
                .single();
    }

    /** Creates an active account, or moves the existing one with this email into the team; returns its id. */
    public long createOrMoveToTeam(
            String email, String name, String role, String passwordHash, Long teamId, Instant at) {
        return jdbc.sql("""
                        INSERT INTO app_user (email, name, role, password_hash, team_id, active, created_at)
                        VALUES (:email, :name, :role, :hash, :team, true, :at)
                        ON CONFLICT (email) DO UPDATE SET team_id = EXCLUDED.team_id RETURNING id""")
                .param("email", email)
                .param("name", name)
                .param("role", role)
                .param("hash", passwordHash)
                .param("team", teamId)
                .param("at", Timestamp.from(at))
                .query(Long.class)
                .single();
    }

    /**
     * Changes the given columns of an account ({@code name}, {@code role}, {@code active}, {@code teamId},
     * {@code passwordHash}, {@code language}, {@code timeZone}); nothing when none is given.
     */
    public void update(long id, Map<String, Object> changes) {
        // app_user.id is an identity column (GENERATED ALWAYS): "SET id = id" is refused, so list only real changes
        List<String> set = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        changes.forEach((name, value) -> {
            String column = COLUMNS.get(name);
            if (column == null) {
                throw new IllegalArgumentException("not a changeable account column: " + name);
            }
            set.add(column + " = :" + name);
            params.put(name, value);
        });
        if (!set.isEmpty()) {
            jdbc.sql("UPDATE app_user SET " + String.join(", ", set) + " WHERE id = :id")
                    .params(params)
                    .update();
        }
    }

    /** The ids of the accounts with these emails (case ignored), by the email as given. */
    public Map<String, Long> idsByEmail(java.util.Collection<String> emails) {
        Map<String, Long> byLower = new HashMap<>();
        if (!emails.isEmpty()) {
            jdbc.sql("SELECT lower(email), id FROM app_user WHERE lower(email) = ANY(:emails)")
                    .param(
                            "emails",
                            emails.stream()
                                    .map(e -> e.toLowerCase(java.util.Locale.ROOT))
                                    .toArray(String[]::new))
                    .query(rs -> {
                        byLower.put(rs.getString(1), rs.getLong(2));
                    });
        }
        Map<String, Long> out = new HashMap<>();
        for (String e : emails) {
            Long id = byLower.get(e.toLowerCase(java.util.Locale.ROOT));
            if (id != null) {
                out.put(e, id);
            }
        }
        return out;
    }

    /** The ids of the active accounts with this role, for notices to them (e.g. every ADMIN). */
    public List<Long> activeIds(Role role) {
        return jdbc.sql("SELECT id FROM app_user WHERE role = :role AND active ORDER BY id")
                .param("role", role.name())
                .query(Long.class)
                .list();
    }
}
