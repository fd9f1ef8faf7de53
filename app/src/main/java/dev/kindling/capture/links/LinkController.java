package dev.kindling.capture.links;

import dev.kindling.campaigns.Campaigns;
import dev.kindling.capture.WebAddress;
import dev.kindling.platform.outbound.PublicUrl;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.Prospects;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping(path = "/api/v1/links", produces = "application/json")
class LinkController {

    private static final Set<String> FIELDS = Set.of("kind", "name", "targetUrl", "campaignId", "completionActions");

    private final TrackedLinks links;
    private final Campaigns campaigns;
    private final Prospects prospects;
    private final PublicUrl publicUrl;

    private final dev.kindling.automation.CompletionActions completionActions;

    LinkController(
            TrackedLinks links,
            Campaigns campaigns,
            Prospects prospects,
            PublicUrl publicUrl,
            dev.kindling.automation.CompletionActions completionActions) {
        this.completionActions = completionActions;
        this.links = links;
        this.campaigns = campaigns;
        this.prospects = prospects;
        this.publicUrl = publicUrl;
    }

    /** A link as the API shows it, with the public URL to publish (it records clicks anonymously or by visitor). */
    record LinkView(
            long id,
            TrackedLink.Kind kind,
            String name,
            String targetUrl,
            Long campaignId,
            Instant createdAt,
            String publicUrl,
            List<Object> completionActions) {}

    /** A link's URL personalised for one prospect: its clicks are that prospect's. */
    record PersonalUrl(long linkId, long prospectId, String url) {}

    @GetMapping
    List<LinkView> list() {
        return links.list().stream().map(this::view).toList();
    }

    @GetMapping("/{id}")
    LinkView get(@PathVariable long id) {
        return view(links.get(id));
    }

    /** A tracked link: its kind, name, target URL, campaign and the actions a click runs; a patch changes those given. */
    record LinkRequest(
            @Schema(allowableValues = {"LINK", "FILE"}) String kind,
            String name,
            String targetUrl,
            Optional<Long> campaignId,

            @ArraySchema(schema = @Schema(ref = "#/components/schemas/Action"))
            JsonNode completionActions)
            implements ApiRequest {}

    @GetMapping("/{id}/url")
    PersonalUrl personalUrl(@PathVariable long id, @RequestParam long prospectId) {
        links.get(id);
        if (prospects.find(prospectId).isEmpty()) {
            throw InvalidInputException.of("prospectId", "names no prospect");
        }
        return new PersonalUrl(
                id, prospectId, publicUrl.of("/l/" + links.tokens().sign(id, prospectId)));
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<LinkView> create(@RequestBody LinkRequest body) {
        TrackedLink link = links.create(validated(body.given()));
        return ResponseEntity.created(URI.create("/api/v1/links/" + link.id())).body(view(link));
    }

    @PatchMapping(
            path = "/{id}",
            consumes = {"application/json", "application/merge-patch+json"})
    LinkView patch(@PathVariable long id, @RequestBody LinkRequest body) {
        TrackedLink current = links.get(id);
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("kind", current.kind().name());
        merged.put("name", current.name());
        merged.put("targetUrl", current.targetUrl());
        merged.put("campaignId", current.campaignId());
        merged.put("completionActions", current.completionActions());
        merged.putAll(body.given());
        return view(links.update(id, validated(merged)));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        links.delete(id);
        return ResponseEntity.noContent().build();
    }

    TrackedLinks.Values validated(Map<String, Object> raw) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        TrackedLink.Kind kind = TrackedLink.Kind.LINK;
        Object rawKind = raw.get("kind");
        if (rawKind != null) {
            kind = "LINK".equals(rawKind)
                    ? TrackedLink.Kind.LINK
                    : "FILE".equals(rawKind) ? TrackedLink.Kind.FILE : null;
            if (kind == null) {
                errors.add(new FieldError("kind", "must be LINK or FILE"));
            }
        }
        String name = null;
        if (!(raw.get("name") instanceof String s) || s.isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (s.strip().length() > 200) {
            errors.add(new FieldError("name", "must be at most 200 characters"));
        } else {
            name = s.strip();
        }
        String target = null;
        if (!(raw.get("targetUrl") instanceof String s) || !WebAddress.isRedirectTarget(s.strip())) {
            errors.add(new FieldError("targetUrl", "must be an absolute http or https URL"));
        } else {
            target = s.strip();
        }
        Long campaignId = null;
        Object rawCampaign = raw.get("campaignId");
        if (rawCampaign != null) {
            if (!(rawCampaign instanceof Long id) || !campaigns.exists(id)) {
                errors.add(new FieldError("campaignId", "names no campaign"));
            } else {
                campaignId = id;
            }
        }
        List<Object> actions = raw.get("completionActions") == null
                ? List.of()
                : completionActions.validate(raw.get("completionActions"), "completionActions", errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new TrackedLinks.Values(kind, name, target, campaignId, actions);
    }

    private LinkView view(TrackedLink l) {
        return new LinkView(
                l.id(),
                l.kind(),
                l.name(),
                l.targetUrl(),
                l.campaignId(),
                l.createdAt(),
                publicUrl.of("/l/" + links.tokens().sign(l.id(), null)),
                l.completionActions());
    }
}
