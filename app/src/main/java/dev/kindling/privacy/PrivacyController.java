package dev.kindling.privacy;

import dev.kindling.platform.web.JsonValues;
import dev.kindling.prospects.Prospects;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The privacy API of a prospect: {@code GET /api/v1/prospects/{id}/export} (ADMIN) everything held about them as one
 * JSON document; {@code POST /api/v1/prospects/{id}/erase} (ADMIN) with {@code {"confirm": "<their email>"}};
 * {@code GET|POST /api/v1/prospects/{id}/consents} their consent records.
 */
@RestController
class PrivacyController {

    private final ProspectExport export;
    private final ProspectErasure erasure;
    private final Consents consents;
    private final Prospects prospects;

    PrivacyController(ProspectExport export, ProspectErasure erasure, Consents consents, Prospects prospects) {
        this.export = export;
        this.erasure = erasure;
        this.consents = consents;
        this.prospects = prospects;
    }

    @GetMapping(path = "/api/v1/prospects/{id}/export", produces = "application/json")
    ResponseEntity<String> export(@PathVariable long id) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, "application/json")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"prospect-" + id + ".json\"")
                .body(export.of(id));
    }

    @PostMapping(path = "/api/v1/prospects/{id}/erase", consumes = "application/json", produces = "application/json")
    Map<String, Object> erase(@PathVariable long id, @RequestBody JsonNode body) {
        Map<String, Object> raw = JsonValues.object(body, "body");
        erasure.erase(id, raw.get("confirm") instanceof String s ? s : null);
        return Map.of("id", id, "erased", true);
    }

    @GetMapping(path = "/api/v1/prospects/{id}/consents", produces = "application/json")
    Map<String, List<Consents.ConsentView>> consents(@PathVariable long id) {
        prospects.get(id);
        return Map.of("items", consents.of(id));
    }

    @PostMapping(path = "/api/v1/prospects/{id}/consents", consumes = "application/json", produces = "application/json")
    ResponseEntity<Consents.ConsentView> addConsent(@PathVariable long id, @RequestBody JsonNode body) {
        ConsentInput in = ConsentInput.parse(JsonValues.object(body, "body"), "api");
        prospects.get(id);
        return ResponseEntity.status(201).body(consents.record(id, in.purpose(), in.granted(), in.source(), in.text()));
    }
}
