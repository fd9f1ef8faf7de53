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
import java.util.Arrays;
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
 * API keys for integrations (ADMIN only; every user manages their own keys on the API keys page, {@link ApiKeyPages}).
 * A key acts with its own role, no higher than its user's; the secret is returned once, at creation.
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

    record KeyView(
            long id, long userId, String name, String role, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {}

    record IssuedKey(long id, long userId, String name, String role, String key) {}

    @GetMapping
    List<KeyView> list() {
        return apiKeys.list(null).stream()
                .map(k -> new KeyView(
                        k.id(), k.userId(), k.name(), k.role().name(), k.createdAt(), k.lastUsedAt(), k.revokedAt()))
                .toList();
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<IssuedKey> issue(@RequestBody ApiKeyRequest body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(issue(body.userId(), body.name(), body.role()));
    }

    /**
     * Issues a key for an active user with a role no higher than the user's current role ({@link Role#isAtMost}; the
     * user's own role when {@code role} is null). The API and the API keys page both issue through here.
     */
    IssuedKey issue(Long userId, String name, String role) {
        List<FieldError> errors = new ArrayList<>();
        String userRole = userId != null
                ? jdbc.sql("SELECT role FROM app_user WHERE id = :id AND active")
                        .param("id", userId)
                        .query(String.class)
                        .optional()
                        .orElse(null)
                : null;
        if (userRole == null) {
            errors.add(new FieldError("userId", "must name an active user"));
        }
        if (name == null || name.isBlank() || name.strip().length() > 100) {
            errors.add(new FieldError("name", ApiKeyRequest.MESSAGE_NAME));
        }
        String keyRole = role == null ? userRole : role;
        boolean known = keyRole != null
                && Arrays.stream(Role.values()).anyMatch(r -> r.name().equals(keyRole));
        if (userRole != null && !(known && Role.valueOf(keyRole).isAtMost(Role.valueOf(userRole)))) {
            errors.add(new FieldError("role", "must be a role no higher than the user's (" + userRole + ")"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String key = ApiKeys.newKey();
        String stripped = name.strip();
        long id = apiKeys.register(userId, stripped, Role.valueOf(keyRole), key);
        audit.record(AuditEntry.created("api_key", id, Map.of("userId", userId, "name", stripped, "role", keyRole)));
        return new IssuedKey(id, userId, stripped, keyRole, key);
    }

    /** A key for a user, acting with a role no higher than the user's ({@code role} defaults to the user's). */
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
        revoke(apiKeys.get(id).orElseThrow(() -> new NotFoundException("No API key " + id)));
        return ResponseEntity.noContent().build();
    }

    /** Revokes the key (its next request gets 401) and records it in the audit log. */
    void revoke(ApiKeys.Key key) {
        apiKeys.revoke(key.id());
        audit.record(AuditEntry.of("api_key", key.id(), "revoke", null, Map.of("revoked", true)));
    }
}
