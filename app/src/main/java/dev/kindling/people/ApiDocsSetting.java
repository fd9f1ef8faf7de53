package dev.kindling.people;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;

import dev.kindling.platform.security.SecuritySettings;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.JsonValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Whether the API documentation ({@code /v3/api-docs}, Swagger UI) is public: {@code GET/PUT
 * /api/v1/settings/api-docs} ({@code {"public": false}}; the switch on the users page is {@link UserPages}); ADMIN only
 * (security configuration). Off by default: then only signed-in users and API keys read it.
 */
@RestController
class ApiDocsSetting {

    private final AuditLog audit;

    private final SecuritySettings settings;

    ApiDocsSetting(SecuritySettings settings, AuditLog audit) {
        this.audit = audit;
        this.settings = settings;
    }

    @GetMapping(path = "/api/v1/settings/api-docs", produces = "application/json")
    Map<String, Boolean> get() {
        return Map.of("public", settings.apiDocsPublic());
    }

    @PutMapping(path = "/api/v1/settings/api-docs", consumes = "application/json", produces = "application/json")
    Map<String, Boolean> put(@RequestBody JsonNode body) {
        Map<String, Object> raw = JsonValues.object(body, "body");
        List<FieldError> errors = new ArrayList<>();
        raw.keySet().stream().filter(k -> !"public".equals(k))
                .forEach(k -> errors.add(new FieldError(k, "is not a known field")));
        if (!(raw.get("public") instanceof Boolean)) {
            errors.add(new FieldError("public", "is required: true or false"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        audit.record(AuditEntry.updated("api_docs_setting", null, get(), Map.of("public", raw.get("public"))));
        settings.apiDocsPublic((Boolean) raw.get("public"));
        return get();
    }
}
