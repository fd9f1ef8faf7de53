package dev.kindling.email;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.kindling.lists.ListView;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.RequestValidators;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The email API: templates ({@code /api/v1/email/templates}, with a preview per prospect), one-off sends with their
 * report ({@code /api/v1/email/sends}) and the global suppression lists ({@code /api/v1/email/suppression-lists}).
 */
@RestController
@RequestMapping(path = "/api/v1/email", produces = "application/json")
class EmailController implements RequestValidators {

    private final EmailTemplates templates;
    private final EmailPreviews previews;
    private final EmailSends sends;
    private final SuppressionLists suppression;
    private final JsonMapper json;

    EmailController(
            EmailTemplates templates,
            EmailPreviews previews,
            EmailSends sends,
            SuppressionLists suppression,
            JsonMapper json) {
        this.templates = templates;
        this.previews = previews;
        this.sends = sends;
        this.suppression = suppression;
        this.json = json;
    }

    /** A template as the API shows it. */
    record TemplateView(
            long id,
            String name,
            String subject,
            String html,
            String text,
            JsonNode blocks,
            Instant createdAt,
            Instant updatedAt) {}

    @GetMapping("/templates")
    List<TemplateView> templates() {
        return templates.all().stream().map(this::view).toList();
    }

    @GetMapping("/templates/{id}")
    TemplateView template(@PathVariable long id) {
        return view(templates.get(id));
    }

    @PostMapping(path = "/templates", consumes = "application/json")
    ResponseEntity<TemplateView> create(@RequestBody EmailTemplateRequest body) {
        EmailTemplate t = templates.create(templates.validate(body.givenTree()));
        return ResponseEntity.created(URI.create("/api/v1/email/templates/" + t.id()))
                .body(view(t));
    }

    @PutMapping(path = "/templates/{id}", consumes = "application/json")
    TemplateView replace(@PathVariable long id, @RequestBody EmailTemplateRequest body) {
        templates.get(id);
        return view(templates.replace(id, templates.validate(body.givenTree())));
    }

    @DeleteMapping("/templates/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        templates.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/templates/{id}/preview")
    EmailPreviews.Preview preview(@PathVariable long id, @RequestParam long prospectId) {
        return previews.preview(id, prospectId);
    }

    @GetMapping("/sends")
    List<EmailSends.SendView> sends() {
        return sends.all();
    }

    @PostMapping(path = "/sends", consumes = "application/json")
    ResponseEntity<EmailSends.Report> send(@RequestBody EmailSendRequest body) {
        EmailSends.SendView s = sends.send(sends.validate(body.givenTree()));
        return ResponseEntity.created(URI.create("/api/v1/email/sends/" + s.id()))
                .body(sends.report(s.id()));
    }

    @GetMapping("/sends/{id}")
    EmailSends.Report report(@PathVariable long id) {
        return sends.report(id);
    }

    @GetMapping("/suppression-lists")
    List<ListView> suppressionLists() {
        return suppression.all();
    }

    @PutMapping(path = "/suppression-lists", consumes = "application/json")
    List<ListView> replaceSuppressionLists(@RequestBody SuppressionListsRequest body) {
        return suppression.replace(body.listIds());
    }

    /** A template: name, subject, HTML and text bodies, and content blocks chosen per prospect by condition. */
    @JsonIgnoreProperties({"id", "createdAt", "updatedAt"})
    record EmailTemplateRequest(String name, String subject, String html, String text, List<EmailBlockRequest> blocks)
            implements ApiRequest {}

    /** A content block: the first case whose condition holds gives its content, else the default. */
    record EmailBlockRequest(String name, List<EmailCaseRequest> cases, String defaultHtml, String defaultText)
            implements ApiRequest {}

    /** One case of a content block. */
    record EmailCaseRequest(
            @Schema(ref = "#/components/schemas/Condition") JsonNode condition, String html, String text)
            implements ApiRequest {}

    /** A one-off send of a template to a list, less the suppression lists, with an optional A/B subject test. */
    record EmailSendRequest(
            String name, Long templateId, Long listId, List<Long> suppressionListIds, EmailAbTestRequest abTest)
            implements ApiRequest {}

    /** An A/B subject test: the subjects, the share of the list tested, the winning metric and the wait. */
    record EmailAbTestRequest(
            List<String> subjects,
            Long testPercent,

            @Schema(allowableValues = {"OPEN_RATE", "CLICK_RATE"})
            String metric,

            Long waitHours)
            implements ApiRequest {}

    /** The lists whose members no send reaches. */
    record SuppressionListsRequest(List<Long> listIds) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            if (listIds == null) {
                errors.add(new FieldError("listIds", "must be a list of list ids"));
            }
        }
    }

    private TemplateView view(EmailTemplate t) {
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (EmailTemplate.ContentBlock b : t.blocks()) {
            List<Map<String, Object>> cases = new ArrayList<>();
            for (EmailTemplate.Case c : b.cases()) {
                cases.add(Map.of("condition", c.conditionJson(), "html", c.html(), "text", c.text()));
            }
            blocks.add(Map.of(
                    "name", b.name(), "cases", cases, "defaultHtml", b.defaultHtml(), "defaultText", b.defaultText()));
        }
        return new TemplateView(
                t.id(),
                t.name(),
                t.subject(),
                t.html(),
                t.text(),
                json.valueToTree(blocks),
                t.createdAt(),
                t.updatedAt());
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(
                RequestValidators.rule(
                        EmailTemplateRequest.class,
                        (r, errors) -> ApiRequest.collect(errors, () -> templates.validate(r.givenTree()))),
                RequestValidators.rule(
                        EmailSendRequest.class,
                        (r, errors) -> ApiRequest.collect(errors, () -> sends.validate(r.givenTree()))));
    }
}
