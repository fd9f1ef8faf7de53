package dev.kindling.privacy;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.prospects.Prospects;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

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
    Map<String, Object> erase(@PathVariable long id, @RequestBody ErasureRequest body) {
        erasure.erase(id, body.confirm());
        return Map.of("id", id, "erased", true);
    }

    @GetMapping(path = "/api/v1/prospects/{id}/consents", produces = "application/json")
    Map<String, List<Consents.ConsentView>> consents(@PathVariable long id) {
        prospects.get(id);
        return Map.of("items", consents.of(id));
    }

    @PostMapping(path = "/api/v1/prospects/{id}/consents", consumes = "application/json", produces = "application/json")
    ResponseEntity<Consents.ConsentView> addConsent(@PathVariable long id, @RequestBody ConsentRequest body) {
        ConsentInput in = ConsentInput.parse(body.given(), "api");
        prospects.get(id);
        return ResponseEntity.status(201).body(consents.record(id, in.purpose(), in.granted(), in.source(), in.text()));
    }

    /** The prospect's email, typed again to confirm the erasure. */
    record ErasureRequest(String confirm) implements ApiRequest {}

    /** A consent given or withdrawn, for a purpose, from a source, with the text shown. */
    record ConsentRequest(
            Consents.Purpose purpose,

            @Schema(allowableValues = {"GRANTED", "WITHDRAWN"})
            String status,

            String source,
            String text)
            implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            ApiRequest.collect(errors, () -> ConsentInput.parse(given(), "api"));
        }
    }
}
