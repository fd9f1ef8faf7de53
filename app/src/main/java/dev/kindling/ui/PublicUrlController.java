package dev.kindling.ui;

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

    private final PublicUrl publicUrl;

    PublicUrlController(PublicUrl publicUrl) {
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
        publicUrl.set(url.asString());
        return get();
    }
}
