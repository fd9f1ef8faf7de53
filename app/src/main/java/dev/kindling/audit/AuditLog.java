package dev.kindling.audit;

import dev.kindling.platform.security.KindlingPrincipal;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records a change in the audit log, in the caller's transaction (so the entry commits or rolls back with the
 * change). The actor is taken from the current security context: the API key's holder and key, the signed-in user,
 * or the system (jobs, intake, public capture).
 *
 * <pre>{@code
 * Before before = get(id);
 * ... write ...
 * audit.record(AuditEntry.updated("list", id, before, get(id)));
 * }</pre>
 */
@Component
public class AuditLog {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** Appends the entry, stamped with the current actor and the clock's instant. */
    public void record(AuditEntry entry) {
        Actor actor = currentActor();
        jdbc.sql("""
                        INSERT INTO audit_entry (at, actor_type, actor_user_id, actor_email, api_key_id, api_key_name,
                                                 object_type, object_id, action, before, after)
                        VALUES (:at, :type, :user, :email, :key, :keyName, :objectType, :objectId, :action,
                                CAST(:before AS jsonb), CAST(:after AS jsonb))""")
                .param("at", Timestamp.from(clock.instant()))
                .param("type", actor.type())
                .param("user", actor.userId())
                .param("email", actor.email())
                .param("key", actor.apiKeyId())
                .param("keyName", actor.apiKeyName())
                .param("objectType", entry.objectType())
                .param("objectId", entry.objectId())
                .param("action", entry.action())
                .param("before", write(entry.before()))
                .param("after", write(entry.after()))
                .update();
    }

    /**
     * Blanks the before/after of every entry about this object (erasure of a prospect); the entries themselves —
     * who, when, what — stay. The only change the table's trigger lets through.
     */
    public void redact(String objectType, Object objectId) {
        jdbc.sql("""
                        UPDATE audit_entry SET before = NULL, after = NULL, redacted = true
                         WHERE object_type = :type AND object_id = :id AND NOT redacted""").param("type", objectType).param("id", objectId.toString()).update();
    }

    /** The value as JSON; a value Jackson cannot write is kept as its text rather than failing the change. */
    private String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JacksonException e) {
            return json.writeValueAsString(java.util.Map.of("text", String.valueOf(value)));
        }
    }

    Actor currentActor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
            return Actor.SYSTEM_ACTOR;
        }
        if (auth.getPrincipal() instanceof KindlingPrincipal p) {
            if (p.apiKeyId() == null) {
                return new Actor(Actor.USER, p.userId(), p.email(), null, null);
            }
            String keyName = jdbc.sql("SELECT name FROM api_key WHERE id = :id")
                    .param("id", p.apiKeyId())
                    .query(String.class)
                    .optional()
                    .orElse(null);
            return new Actor(Actor.API_KEY, p.userId(), p.email(), p.apiKeyId(), keyName);
        }
        String email = auth.getPrincipal() instanceof UserDetails u ? u.getUsername() : auth.getName();
        Long userId = jdbc.sql("SELECT id FROM app_user WHERE email = :email")
                .param("email", email)
                .query(Long.class)
                .optional()
                .orElse(null);
        return new Actor(Actor.USER, userId, email, null, null);
    }
}
