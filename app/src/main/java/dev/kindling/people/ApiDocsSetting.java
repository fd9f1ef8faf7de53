package dev.kindling.people;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.security.SecuritySettings;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

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
    Map<String, Boolean> put(@RequestBody ApiDocsRequest body) {
        audit.record(AuditEntry.updated("api_docs_setting", null, get(), Map.of("public", body.open())));
        settings.apiDocsPublic(body.open());
        return get();
    }

    /** Whether the API documentation is public. */
    record ApiDocsRequest(@JsonProperty("public") Boolean open) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            if (open == null) {
                errors.add(new FieldError("public", "is required: true or false"));
            }
        }
    }
}
