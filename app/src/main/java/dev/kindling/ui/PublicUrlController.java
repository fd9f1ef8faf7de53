package dev.kindling.ui;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.outbound.PublicUrl;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

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
    Map<String, Object> put(@RequestBody PublicUrlRequest body, Authentication who) {
        PublicUrlPages.adminOnly(who);
        String before = publicUrl.base().orElse(null);
        audit.record(AuditEntry.updated("public_url", null, before, publicUrl.set(body.url())));
        return get();
    }

    /** The public URL every sent link is built on. */
    record PublicUrlRequest(
            @Schema(example = "https://kindling.example.com")
            String url) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            if (url == null) {
                errors.add(new FieldError("url", "is required: {\"url\": \"https://kindling.example.com\"}"));
            }
        }
    }
}
