package dev.kindling.sales;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.NotFoundException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The inside-sales API. {@code GET /api/v1/sales/queue} (any role; {@code scope=mine|team|all}, {@code stage},
 * {@code sla}, {@code q}, {@code page}); {@code GET /api/v1/prospects/{id}/sales} (a lead's handoff, SLA and
 * attempts); {@code POST /api/v1/prospects/{id}/attempts|accept|reject|convert} for ADMIN, INSIDE_SALES and SALES
 * (403 otherwise), each answering with the lead's sales state.
 */
@RestController
class SalesController {

    private final JdbcClient jdbc;
    private final SalesActions actions;
    private final SalesLeads leads;

    SalesController(JdbcClient jdbc, SalesActions actions, SalesLeads leads) {
        this.jdbc = jdbc;
        this.actions = actions;
        this.leads = leads;
    }

    @GetMapping(path = "/api/v1/sales/queue", produces = "application/json")
    SalesLeads.Queue queue(
            @RequestParam(required = false) String scope,
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String sla,
            @RequestParam(required = false) String q,
            @RequestParam(defaultValue = "1") int page,
            Authentication who) {
        return leads.queue(Rep.of(who, jdbc), scope, stage, sla, q, page);
    }

    @GetMapping(path = "/api/v1/prospects/{id}/sales", produces = "application/json")
    SalesLeads.Lead lead(@PathVariable long id) {
        return leads.lead(id).orElseThrow(() -> new NotFoundException("No prospect " + id));
    }

    /** {@code {"kind": "CALL", "outcome": "NO_ANSWER", "note": "..."}}. */
    @PostMapping(path = "/api/v1/prospects/{id}/attempts", consumes = "application/json", produces = "application/json")
    SalesLeads.Lead attempt(@PathVariable long id, @RequestBody SalesAttemptRequest body, Authentication who) {
        Rep rep = Rep.seller(who, jdbc);
        actions.logAttempt(id, SalesActions.attempt(body.given()), rep);
        return lead(id);
    }

    /** Body optional: {@code {"note": "..."}}. */
    @PostMapping(path = "/api/v1/prospects/{id}/accept", produces = "application/json")
    SalesLeads.Lead accept(
            @PathVariable long id, @RequestBody(required = false) AcceptRequest body, Authentication who) {
        Rep rep = Rep.seller(who, jdbc);
        actions.accept(id, SalesActions.acceptNote(body == null ? Map.of() : body.given()), rep);
        return lead(id);
    }

    /**
     * {@code {"name": "ACME renewal", "amount": 12000, "closeDate": "2030-06-30", "stage": "Discovery",
     * "role": "DECISION_MAKER"}} → 201 with the lead's sales state and {@code opportunityId}.
     */
    @PostMapping(path = "/api/v1/prospects/{id}/convert", consumes = "application/json", produces = "application/json")
    org.springframework.http.ResponseEntity<Map<String, Object>> convert(
            @PathVariable long id, @RequestBody SalesConvertRequest body, Authentication who) {
        Rep rep = Rep.seller(who, jdbc);
        long opportunity = actions.convert(id, SalesActions.convert(body.given()), rep);
        return org.springframework.http.ResponseEntity.status(201)
                .body(Map.of("opportunityId", opportunity, "lead", lead(id)));
    }

    /** {@code {"reason": "NO_BUDGET", "note": "..."}}; a note is required with OTHER. */
    @PostMapping(path = "/api/v1/prospects/{id}/reject", consumes = "application/json", produces = "application/json")
    SalesLeads.Lead reject(@PathVariable long id, @RequestBody SalesRejectRequest body, Authentication who) {
        Rep rep = Rep.seller(who, jdbc);
        actions.reject(id, SalesActions.reject(body.given()), rep);
        return lead(id);
    }

    /** A contact attempt; its rules are the page's too ({@link SalesActions#attempt}). */
    record SalesAttemptRequest(
            @Schema(implementation = SalesActions.AttemptKind.class)
            String kind,

            @Schema(implementation = SalesActions.AttemptOutcome.class)
            String outcome,

            String note)
            implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            ApiRequest.collect(errors, () -> SalesActions.attempt(given()));
        }
    }

    /** An optional note. */
    record AcceptRequest(String note) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            ApiRequest.collect(errors, () -> SalesActions.acceptNote(given()));
        }
    }

    /** A rejection: the reason, and a note (required with OTHER). */
    record SalesRejectRequest(
            @Schema(implementation = dev.kindling.engine.sla.RejectReason.class)
            String reason,

            String note) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            ApiRequest.collect(errors, () -> SalesActions.reject(given()));
        }
    }

    /** The opportunity a lead converts into and the lead's contact role on it. */
    record SalesConvertRequest(
            String name,
            BigDecimal amount,
            String currency,
            String stage,
            @Schema(format = "date") String closeDate,
            String role)
            implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            ApiRequest.collect(errors, () -> SalesActions.convert(given()));
        }
    }
}
