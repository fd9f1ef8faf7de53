package dev.kindling.people;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;

import dev.kindling.platform.security.ApiKeys;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.JsonValues;
import dev.kindling.platform.web.NotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * API keys for integrations (ADMIN only). A key acts with its own role, which is the user's
 * role or the read-only VIEWER role; the secret is returned once, at creation.
 */
@RestController
@RequestMapping(path = "/api/v1/api-keys", produces = "application/json")
class ApiKeyController {

    private final AuditLog audit;

    private static final Set<String> FIELDS = Set.of("userId", "name", "role");

    private final JdbcClient jdbc;
    private final ApiKeys apiKeys;

    ApiKeyController(JdbcClient jdbc, ApiKeys apiKeys, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.apiKeys = apiKeys;
    }

    record KeyView(long id, long userId, String name, String role, Instant createdAt, Instant revokedAt) {
    }

    record IssuedKey(long id, long userId, String name, String role, String key) {
    }

    @GetMapping
    List<KeyView> list() {
        return jdbc.sql("SELECT id, user_id, name, role, created_at, revoked_at FROM api_key ORDER BY id")
                .query((rs, n) -> new KeyView(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()))
                .list();
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<IssuedKey> issue(@RequestBody JsonNode body) {
        Map<String, Object> raw = JsonValues.object(body, "body");
        List<FieldError> errors = new ArrayList<>();
        raw.keySet().stream().filter(k -> !FIELDS.contains(k))
                .forEach(k -> errors.add(new FieldError(k, "is not a known field")));
        String userRole = raw.get("userId") instanceof Long id
                ? jdbc.sql("SELECT role FROM app_user WHERE id = :id AND active").param("id", id)
                        .query(String.class).optional().orElse(null)
                : null;
        if (userRole == null) {
            errors.add(new FieldError("userId", "must name an active user"));
        }
        if (!(raw.get("name") instanceof String name) || name.isBlank() || name.length() > 100) {
            errors.add(new FieldError("name", "is required, at most 100 characters"));
        }
        String role = raw.get("role") == null ? userRole : raw.get("role") instanceof String r ? r : "";
        if (userRole != null && !(userRole.equals(role) || Role.VIEWER.name().equals(role))) {
            errors.add(new FieldError("role", "must be the user's role or VIEWER"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        long userId = (Long) raw.get("userId");
        String key = ApiKeys.newKey();
        String name = ((String) raw.get("name")).strip();
        long id = apiKeys.register(userId, name, Role.valueOf(role), key);
        audit.record(AuditEntry.created("api_key", id, Map.of("userId", userId, "name", name, "role", role)));
        return ResponseEntity.status(HttpStatus.CREATED).body(new IssuedKey(id, userId, name, role, key));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable long id) {
        if (jdbc.sql("SELECT count(*) FROM api_key WHERE id = :id").param("id", id).query(Long.class).single() == 0) {
            throw new NotFoundException("No API key " + id);
        }
        apiKeys.revoke(id);
        audit.record(AuditEntry.of("api_key", id, "revoke", null, Map.of("revoked", true)));
        return ResponseEntity.noContent().build();
    }
}
