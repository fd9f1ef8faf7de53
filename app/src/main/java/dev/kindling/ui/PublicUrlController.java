package dev.kindling.ui;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;

import dev.kindling.platform.outbound.PublicUrl;
import dev.kindling.platform.web.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/settings/public-url} (any role: {@code {url, source}}, source ENVIRONMENT, SETTING or NONE) and
 * {@code PUT} (ADMIN: {@code {url}}; 400 while {@code KINDLING_PUBLIC_URL} sets it).
 */
@RestController
class PublicUrlController {

    private final AuditLog audit;

    private final PublicUrl publicUrl;

    PublicUrlController(PublicUrl publicUrl, AuditLog audit) {
        this.audit = audit;
        this.publicUrl = publicUrl;
    }

    @GetMapping(path = "/api/v1/settings/public-url", produces = "application/json")
    Map<String, Object> get() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", publicUrl.base().orElse(null));
        out.put("source", publicUrl.source());
        return out;
    }

    @PutMapping(path = "/api/v1/settings/public-url", consumes = "application/json", produces = "application/json")
    Map<String, Object> put(@RequestBody JsonNode body, Authentication who) {
        PublicUrlPages.adminOnly(who);
        JsonNode url = body == null ? null : body.get("url");
        if (url == null || !url.isString() || body.size() != 1) {
            throw InvalidInputException.of("url", "is required: {\"url\": \"https://kindling.example.com\"}");
        }
        String before = publicUrl.base().orElse(null);
        audit.record(AuditEntry.updated("public_url", null, before, publicUrl.set(url.asString())));
        return get();
    }
}
