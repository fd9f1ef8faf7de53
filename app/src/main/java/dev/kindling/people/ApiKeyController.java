package dev.kindling.people;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.security.ApiKeys;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/**
 * API keys for integrations (ADMIN only). A key acts with its own role, which is the user's
 * role or the read-only VIEWER role; the secret is returned once, at creation.
 */
@RestController
@RequestMapping(path = "/api/v1/api-keys", produces = "application/json")
class ApiKeyController {

    private final AuditLog audit;

    private final JdbcClient jdbc;
    private final ApiKeys apiKeys;

    ApiKeyController(JdbcClient jdbc, ApiKeys apiKeys, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.apiKeys = apiKeys;
    }

    record KeyView(long id, long userId, String name, String role, Instant createdAt, Instant revokedAt) {}

    record IssuedKey(long id, long userId, String name, String role, String key) {}

    @GetMapping
    List<KeyView> list() {
        return jdbc.sql("SELECT id, user_id, name, role, created_at, revoked_at FROM api_key ORDER BY id")
                .query((rs, n) -> new KeyView(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()))
                .list();
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<IssuedKey> issue(@RequestBody ApiKeyRequest body) {
        List<FieldError> errors = new ArrayList<>();
        String userRole = body.userId() != null
                ? jdbc.sql("SELECT role FROM app_user WHERE id = :id AND active")
                        .param("id", body.userId())
                        .query(String.class)
                        .optional()
                        .orElse(null)
                : null;
        if (userRole == null) {
            errors.add(new FieldError("userId", "must name an active user"));
        }
        String role = body.role() == null ? userRole : body.role();
        if (userRole != null && !(userRole.equals(role) || Role.VIEWER.name().equals(role))) {
            errors.add(new FieldError("role", "must be the user's role or VIEWER"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        long userId = body.userId();
        String key = ApiKeys.newKey();
        String name = body.name().strip();
        long id = apiKeys.register(userId, name, Role.valueOf(role), key);
        audit.record(AuditEntry.created("api_key", id, Map.of("userId", userId, "name", name, "role", role)));
        return ResponseEntity.status(HttpStatus.CREATED).body(new IssuedKey(id, userId, name, role, key));
    }

    /** A key for a user, acting with the user's role or as VIEWER ({@code role} defaults to the user's). */
    record ApiKeyRequest(
            Long userId,

            @NotBlank(message = MESSAGE_NAME) @Size(max = 100, message = MESSAGE_NAME)
            String name,

            String role)
            implements ApiRequest {
        static final String MESSAGE_NAME = "is required, at most 100 characters";
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable long id) {
        if (jdbc.sql("SELECT count(*) FROM api_key WHERE id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single()
                == 0) {
            throw new NotFoundException("No API key " + id);
        }
        apiKeys.revoke(id);
        audit.record(AuditEntry.of("api_key", id, "revoke", null, Map.of("revoked", true)));
        return ResponseEntity.noContent().build();
    }
}
