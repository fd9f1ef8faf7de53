package dev.kindling.salesforce;

import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

/**
 * The prospect side of the connector. API: {@code POST /api/v1/prospects/{id}/crm-sync} (the explicit "sync to CRM"
 * step) and {@code GET /api/v1/prospects/{id}/crm} (its Salesforce record, last sync and errors); ADMIN only:
 * {@code GET|PUT /api/v1/salesforce/fields} (the field mapping) and {@code GET|PUT /api/v1/salesforce/sync-condition}.
 * Page: the prospect page's Salesforce panel posts {@code /prospects/{id}/crm-sync}.
 */
@Controller
class SalesforceProspectController {

    private final CrmSync sync;
    private final SalesforceFieldMap fieldMap;
    private final Clock clock;

    SalesforceProspectController(CrmSync sync, SalesforceFieldMap fieldMap, Clock clock) {
        this.sync = sync;
        this.fieldMap = fieldMap;
        this.clock = clock;
    }

    /** Optional: {@code allowDuplicates} saves past Salesforce's duplicate rules (a person decided it is no duplicate). */
    record CrmSyncRequest(Boolean allowDuplicates) implements ApiRequest {}

    /** The fields to (re)map; fields not listed keep their settings. */
    record FieldMapRequest(List<SalesforceFieldMap.Input> fields) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            if (fields == null || fields.isEmpty()) {
                errors.add(new FieldError("fields", "must list at least one field"));
            }
        }
    }

    /** The sync condition, or {@code null} to let any prospect be synced by the explicit step. */
    record SyncConditionRequest(
            @Schema(ref = "#/components/schemas/Condition") JsonNode condition) implements ApiRequest {}

    /** 202: the push is queued and runs at once off the request; {@code queued} is true until it is done. */
    @PostMapping(path = "/api/v1/prospects/{id}/crm-sync", produces = "application/json")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @ResponseBody
    CrmSync.Status request(@PathVariable long id, @RequestBody(required = false) CrmSyncRequest body) {
        return sync.request(id, body != null && Boolean.TRUE.equals(body.allowDuplicates()));
    }

    @GetMapping(path = "/api/v1/prospects/{id}/crm", produces = "application/json")
    @ResponseBody
    CrmSync.Status status(@PathVariable long id) {
        return sync.status(id);
    }

    @GetMapping(path = "/api/v1/salesforce/fields", produces = "application/json")
    @ResponseBody
    List<SalesforceFieldMap.Mapping> fields(Authentication user) {
        admin(user);
        return fieldMap.current();
    }

    @PutMapping(path = "/api/v1/salesforce/fields", consumes = "application/json", produces = "application/json")
    @ResponseBody
    List<SalesforceFieldMap.Mapping> saveFields(@RequestBody FieldMapRequest body, Authentication user) {
        admin(user);
        return fieldMap.save(body.fields(), clock.instant());
    }

    @GetMapping(path = "/api/v1/salesforce/sync-condition", produces = "application/json")
    @ResponseBody
    Map<String, Object> condition(Authentication user) {
        admin(user);
        return conditionBody(sync.condition().orElse(null));
    }

    @PutMapping(
            path = "/api/v1/salesforce/sync-condition",
            consumes = "application/json",
            produces = "application/json")
    @ResponseBody
    Map<String, Object> saveCondition(@RequestBody SyncConditionRequest body, Authentication user) {
        admin(user);
        return conditionBody(sync.saveCondition(body.condition()).orElse(null));
    }

    @PostMapping("/prospects/{id}/crm-sync")
    String requestFromPage(@PathVariable long id, RedirectAttributes flash) {
        try {
            sync.request(id, false);
            flash.addFlashAttribute(
                    "salesforceNotice",
                    "Queued: Kindling syncs the prospect with Salesforce now; reload to see the result.");
        } catch (ConflictException e) {
            flash.addFlashAttribute("salesforceNotice", e.getMessage());
        }
        return "redirect:/prospects/" + id;
    }

    /** The prospect page's Salesforce panel alone, polled by htmx while a push is pending. */
    @GetMapping("/prospects/{id}/salesforce-panel")
    String panel(@PathVariable long id, org.springframework.ui.Model model) {
        sync.status(id); // 404 for an unknown prospect
        model.addAttribute("prospectId", id);
        return "salesforce/panel :: panel(prospectId=${prospectId})";
    }

    private static Map<String, Object> conditionBody(JsonNode condition) {
        java.util.LinkedHashMap<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("condition", condition);
        return out;
    }

    private static void admin(Authentication user) {
        if (!Role.any(user, Role.ADMIN)) {
            throw new AccessDeniedException("Only ADMIN changes the Salesforce connector");
        }
    }
}
