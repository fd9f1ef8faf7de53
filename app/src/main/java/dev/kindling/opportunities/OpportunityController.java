package dev.kindling.opportunities;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.Csv;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.RequestValidators;
import dev.kindling.prospects.Prospects;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/opportunities} ({@code docs/opportunities.md}): every role reads; ADMIN, INSIDE_SALES and SALES
 * write (the security configuration refuses the others with 403 before the request gets here).
 */
@RestController
class OpportunityController implements RequestValidators {

    private final Opportunities opportunities;
    private final Prospects prospects;

    OpportunityController(Opportunities opportunities, Prospects prospects) {
        this.opportunities = opportunities;
        this.prospects = prospects;
    }

    @GetMapping(path = "/api/v1/opportunities", produces = "application/json")
    Opportunities.Page list(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) Long prospectId,
            @RequestParam(required = false) Long accountId,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > 500) {
            throw InvalidInputException.of("limit", "must be between 1 and 500");
        }
        return opportunities.list(filter(status, prospectId, accountId), limit, cursor);
    }

    /**
     * Every opportunity the same filters select as one CSV download ({@code Accept: text/csv} or {@code format=csv}),
     * all pages; the contacts are the prospect ids with their roles, primary first.
     */
    @GetMapping(path = "/api/v1/opportunities", produces = "text/csv")
    void csv(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) Long prospectId,
            @RequestParam(required = false) Long accountId,
            HttpServletResponse response)
            throws IOException {
        Opportunities.Filter filter = filter(status, prospectId, accountId);
        Csv.stream(
                response,
                "opportunities.csv",
                List.of(
                        "id",
                        "name",
                        "account_id",
                        "account_name",
                        "amount",
                        "currency",
                        "stage",
                        "status",
                        "probability",
                        "type",
                        "lost_reason",
                        "primary_campaign_id",
                        "close_date",
                        "created_at",
                        "updated_at",
                        "closed_at",
                        "created_by",
                        "closed_by",
                        "contacts"),
                cursor -> {
                    Opportunities.Page page = opportunities.list(filter, 500, cursor);
                    return new Csv.Page<>(page.items(), page.nextCursor());
                },
                o -> new Object[] {
                    o.id(),
                    o.name(),
                    o.accountId(),
                    o.accountName(),
                    o.amount(),
                    o.currency(),
                    o.stage(),
                    o.status(),
                    o.probability(),
                    o.type(),
                    o.lostReason(),
                    o.primaryCampaignId(),
                    o.closeDate(),
                    o.createdAt(),
                    o.updatedAt(),
                    o.closedAt(),
                    o.createdBy(),
                    o.closedBy(),
                    String.join(
                            " ",
                            o.contactRoles().stream()
                                    .map(c -> c.prospectId() + ":" + (c.role() == null ? "" : c.role()))
                                    .toList())
                });
    }

    private static Opportunities.Filter filter(String status, Long prospectId, Long accountId) {
        OpportunityStatus s = OpportunityStatus.parse(status).orElse(null);
        if (s == null && status != null && !status.isBlank()) {
            throw InvalidInputException.of("status", "must be one of OPEN, WON, LOST");
        }
        return new Opportunities.Filter(s, prospectId, accountId);
    }

    @PostMapping(path = "/api/v1/opportunities", consumes = "application/json", produces = "application/json")
    ResponseEntity<OpportunityView> create(@RequestBody OpportunityRequest body, Authentication user) {
        OpportunityInput.Create input = OpportunityInput.create(body.given());
        if (!input.errors().isEmpty()) {
            // with the bean's checks of what could be read, one error per field, the type error first
            java.util.Map<String, dev.kindling.platform.web.FieldError> byField = new java.util.LinkedHashMap<>();
            input.errors().forEach(e -> byField.putIfAbsent(e.field(), e));
            opportunities
                    .validate(input.opportunity(), input.contacts())
                    .forEach(e -> byField.putIfAbsent(e.field(), e));
            throw new InvalidInputException(List.copyOf(byField.values()));
        }
        long id = opportunities.create(input.opportunity(), input.contacts(), "user:" + user.getName());
        return ResponseEntity.created(URI.create("/api/v1/opportunities/" + id)).body(opportunities.get(id));
    }

    @GetMapping(path = "/api/v1/opportunities/{id}", produces = "application/json")
    OpportunityView get(@PathVariable long id) {
        return opportunities.get(id);
    }

    @PatchMapping(path = "/api/v1/opportunities/{id}", consumes = "application/json", produces = "application/json")
    OpportunityView update(@PathVariable long id, @RequestBody OpportunityPatch body) {
        opportunities.get(id);
        return opportunities.update(id, OpportunityInput.patch(body.given()));
    }

    @PostMapping(path = "/api/v1/opportunities/{id}/won", produces = "application/json")
    OpportunityView won(
            @PathVariable long id, @RequestBody(required = false) OpportunityWonRequest body, Authentication user) {
        return opportunities.win(
                id,
                OpportunityInput.closeDate(body == null ? Map.of() : body.given(), Set.of("closeDate")),
                "user:" + user.getName());
    }

    @PostMapping(path = "/api/v1/opportunities/{id}/lost", consumes = "application/json", produces = "application/json")
    OpportunityView lost(@PathVariable long id, @RequestBody OpportunityLostRequest body, Authentication user) {
        Map<String, Object> raw = body.given();
        LostReason reason = OpportunityInput.reason(raw);
        return opportunities.lose(
                id, reason, OpportunityInput.closeDate(raw, Set.of("reason", "closeDate")), "user:" + user.getName());
    }

    @PostMapping(
            path = "/api/v1/opportunities/{id}/contact-roles",
            consumes = "application/json",
            produces = "application/json")
    OpportunityView addContact(@PathVariable long id, @RequestBody OpportunityContactRequest body) {
        return opportunities.addContact(id, OpportunityInput.contact(body.given()));
    }

    /** A new opportunity, with its account, money, stage, dates and its contacts' roles. */
    record OpportunityRequest(
            String name,
            Long accountId,
            BigDecimal amount,
            String currency,
            String stage,
            @Schema(format = "date") String closeDate,
            String type,
            Long probability,
            Long primaryCampaignId,
            List<OpportunityContactRequest> contactRoles)
            implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            errors.addAll(OpportunityInput.create(given()).errors());
        }
    }

    /** The fields of an open opportunity to change ({@code null} clears the close date or probability). */
    record OpportunityPatch(
            String name,
            BigDecimal amount,
            String stage,
            @Schema(format = "date") Optional<String> closeDate,
            Optional<Long> probability)
            implements ApiRequest {}

    /** A prospect's role on an opportunity; one contact may be primary. */
    record OpportunityContactRequest(Long prospectId, String role, Boolean primary) implements ApiRequest {}

    /** The day the opportunity was won (today when absent). */
    record OpportunityWonRequest(@Schema(format = "date") String closeDate) implements ApiRequest {}

    /** Why the opportunity was lost, and the day (today when absent). */
    record OpportunityLostRequest(
            String reason, @Schema(format = "date") String closeDate) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            ApiRequest.collect(errors, () -> OpportunityInput.reason(given()));
        }
    }

    @DeleteMapping(path = "/api/v1/opportunities/{id}/contact-roles/{prospectId}", produces = "application/json")
    OpportunityView removeContact(@PathVariable long id, @PathVariable long prospectId) {
        return opportunities.removeContact(id, prospectId);
    }

    @GetMapping(path = "/api/v1/prospects/{id}/opportunities", produces = "application/json")
    Map<String, List<OpportunityView>> ofProspect(@PathVariable long id) {
        prospects.get(id);
        return Map.of("items", opportunities.ofProspect(id));
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(RequestValidators.rule(OpportunityRequest.class, (r, errors) -> {
            OpportunityInput.Create input = OpportunityInput.create(r.given());
            errors.addAll(opportunities.validate(input.opportunity(), input.contacts()));
        }));
    }
}
