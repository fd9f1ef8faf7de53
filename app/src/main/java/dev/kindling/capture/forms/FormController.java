package dev.kindling.capture.forms;

import dev.kindling.campaigns.Campaigns;
import dev.kindling.platform.outbound.PublicUrl;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.prospects.Prospects;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping(path = "/api/v1/forms", produces = "application/json")
class FormController {

    private final Forms forms;
    private final Prospects prospects;
    private final Campaigns campaigns;
    private final PublicUrl publicUrl;

    private final dev.kindling.automation.CompletionActions completionActions;

    FormController(
            Forms forms,
            Prospects prospects,
            Campaigns campaigns,
            PublicUrl publicUrl,
            dev.kindling.automation.CompletionActions completionActions) {
        this.completionActions = completionActions;
        this.forms = forms;
        this.prospects = prospects;
        this.campaigns = campaigns;
        this.publicUrl = publicUrl;
    }

    /** A form as the API shows it: its configuration and the URL its HTML form posts to. */
    record FormView(
            long id,
            String key,
            String name,
            Map<String, String> fieldMapping,
            List<String> requiredFields,
            String successUrl,
            String errorUrl,
            Long campaignId,
            List<Object> completionActions,
            java.time.Instant createdAt,
            String actionUrl) {}

    @GetMapping
    List<FormView> list() {
        return forms.list().stream().map(this::view).toList();
    }

    @GetMapping("/{id}")
    FormView get(@PathVariable long id) {
        return view(forms.get(id));
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<FormView> create(@RequestBody FormRequest body) {
        Form form = forms.create(validated(body.given()));
        return ResponseEntity.created(URI.create("/api/v1/forms/" + form.id())).body(view(form));
    }

    @PatchMapping(
            path = "/{id}",
            consumes = {"application/json", "application/merge-patch+json"})
    FormView patch(@PathVariable long id, @RequestBody FormRequest body) {
        Form current = forms.get(id);
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("key", current.key());
        merged.put("name", current.name());
        merged.put("fieldMapping", current.fieldMapping());
        merged.put("requiredFields", current.requiredFields());
        merged.put("successUrl", current.successUrl());
        merged.put("errorUrl", current.errorUrl());
        merged.put("campaignId", current.campaignId());
        merged.put("completionActions", current.completionActions());
        merged.putAll(body.given());
        return view(forms.update(id, validated(merged)));
    }

    /**
     * A form: its public key, name, which posted field fills which prospect field, the required ones, where to send
     * the visitor after, its campaign and the actions run on each submission. A patch changes the fields given.
     */
    record FormRequest(
            String key,
            String name,

            @Schema(description = "posted field name to prospect field (or custom.<name>)")
            Map<String, String> fieldMapping,

            List<String> requiredFields,
            Optional<String> successUrl,
            Optional<String> errorUrl,
            Optional<Long> campaignId,

            @ArraySchema(schema = @Schema(ref = "#/components/schemas/Action"))
            JsonNode completionActions)
            implements ApiRequest {}

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        forms.delete(id);
        return ResponseEntity.noContent().build();
    }

    private FormValues validated(Map<String, Object> raw) {
        return FormValues.validate(
                raw,
                prospects.customFields().keySet(),
                campaigns::exists,
                (actions, errors) -> completionActions.validate(actions, "completionActions", errors));
    }

    private FormView view(Form f) {
        return new FormView(
                f.id(),
                f.key(),
                f.name(),
                f.fieldMapping(),
                f.requiredFields(),
                f.successUrl(),
                f.errorUrl(),
                f.campaignId(),
                f.completionActions(),
                f.createdAt(),
                publicUrl.of("/f/" + f.key()));
    }
}
