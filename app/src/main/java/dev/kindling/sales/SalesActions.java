package dev.kindling.sales;

import dev.kindling.engine.lifecycle.Trigger;
import dev.kindling.engine.sla.RejectReason;
import dev.kindling.engine.sla.SlaPolicy;
import dev.kindling.lifecycle.LifecycleTriggers;
import dev.kindling.opportunities.ContactRole;
import dev.kindling.opportunities.NewOpportunity;
import dev.kindling.opportunities.Opportunities;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InputDates;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What inside sales does to a lead, shared by the API and the UI: log an attempt, accept (MQL → SAL), reject with a
 * reason (→ RECYCLED), convert (→ an opportunity with a contact role → SQL). Each validates its whole input first
 * (nothing stored on error), then checks the lead's stage (409 when the action does not fit it), then writes in
 * one transaction: the stage move through the lifecycle table, the attempt, the handoff's outcome and SLA.
 */
@Component
class SalesActions {

    enum AttemptKind {
        CALL,
        EMAIL,
        MEETING,
        OTHER
    }

    enum AttemptOutcome {
        CONNECTED,
        LEFT_MESSAGE,
        NO_ANSWER,
        BAD_NUMBER,
        MEETING_SET,
        EMAIL_SENT,
        REPLIED,
        OTHER
    }

    static final int MAX_NOTE = 2_000;

    record Attempt(AttemptKind kind, AttemptOutcome outcome, String note) {}

    record Reject(RejectReason reason, String note) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Handoffs handoffs;
    private final LifecycleTriggers moves;
    private final SalesSettings settings;
    private final Opportunities opportunities;

    SalesActions(
            JdbcClient jdbc,
            Clock clock,
            Handoffs handoffs,
            LifecycleTriggers moves,
            SalesSettings settings,
            Opportunities opportunities) {
        this.opportunities = opportunities;
        this.jdbc = jdbc;
        this.clock = clock;
        this.handoffs = handoffs;
        this.moves = moves;
        this.settings = settings;
    }

    // ---- validation (shared by the API's JSON and the UI's form fields)

    static Attempt attempt(Map<String, Object> raw) {
        List<FieldError> errors = unknown(raw, Set.of("kind", "outcome", "note"));
        AttemptKind kind = parse(AttemptKind.class, raw.get("kind"), "kind", errors);
        AttemptOutcome outcome = parse(AttemptOutcome.class, raw.get("outcome"), "outcome", errors);
        String note = note(raw.get("note"), false, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Attempt(kind, outcome, note);
    }

    static Reject reject(Map<String, Object> raw) {
        List<FieldError> errors = unknown(raw, Set.of("reason", "note"));
        RejectReason reason = parse(RejectReason.class, raw.get("reason"), "reason", errors);
        String note = note(raw.get("note"), reason == RejectReason.OTHER, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Reject(reason, note);
    }

    static String acceptNote(Map<String, Object> raw) {
        List<FieldError> errors = unknown(raw, Set.of("note"));
        String note = note(raw.get("note"), false, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return note;
    }

    // ---- actions

    @Transactional
    void logAttempt(long prospectId, Attempt attempt, Rep rep) {
        lockProspect(prospectId);
        Instant now = clock.instant();
        Optional<Handoffs.Open> open = handoffs.lockOpen(prospectId);
        jdbc.sql("""
                        INSERT INTO sales_attempt (prospect_id, handoff_id, user_id, kind, outcome, note, at)
                        VALUES (:prospect, :handoff, :user, :kind, :outcome, :note, :at)""")
                .param("prospect", prospectId)
                .param("handoff", open.map(Handoffs.Open::id).orElse(null))
                .param("user", rep.id())
                .param("kind", attempt.kind().name())
                .param("outcome", attempt.outcome().name())
                .param("note", attempt.note())
                .param("at", Timestamp.from(now))
                .update();
        open.ifPresent(h -> handoffs.attempted(h, now, attempt.outcome().name()));
    }

    @Transactional
    void accept(long prospectId, String note, Rep rep) {
        String stage = lockProspect(prospectId);
        if (!stage.equals("MQL")) {
            throw new ConflictException("Only an MQL can be accepted; this prospect is " + stage);
        }
        moves.fire(prospectId, Trigger.SALES_ACCEPTED, "user:" + rep.email(), note);
        handoffs.lockOpen(prospectId).ifPresent(h -> handoffs.outcome(h, "ACCEPTED", clock.instant(), null));
    }

    @Transactional
    void reject(long prospectId, Reject reject, Rep rep) {
        String stage = lockProspect(prospectId);
        if (!stage.equals("MQL") && !stage.equals("SAL")) {
            throw new ConflictException("Only an MQL or SAL can be rejected; this prospect is " + stage);
        }
        Optional<Handoffs.Open> open = handoffs.lockOpen(prospectId);
        int attempts = open.map(Handoffs.Open::attempts).orElseGet(() -> attempts(prospectId));
        boolean connected = open.map(Handoffs.Open::connected).orElseGet(() -> connected(prospectId));
        SlaPolicy policy = settings.policy();
        if (!reject.reason().isAllowed(policy, attempts, connected)) {
            throw new ConflictException("A lead may be recycled for no response only after " + policy.minAttempts()
                    + " attempts (the SLA); " + attempts + " logged so far"
                    + (reject.reason() == RejectReason.NOT_READY ? ", none of which reached the person" : ""));
        }
        String reason = reject.reason().name() + (reject.note() == null ? "" : ": " + reject.note());
        moves.fire(prospectId, Trigger.SALES_REJECTED, "user:" + rep.email(), reason);
        open.ifPresent(h ->
                handoffs.outcome(h, "REJECTED", clock.instant(), reject.reason().name()));
    }

    /**
     * Converts a lead: an opportunity with the lead as its primary contact in {@code role}, created through
     * {@link Opportunities} (which moves it to SQL and applies the scoring rule in this transaction), and the handoff
     * closed as converted. A lead already converted (SQL or beyond, or already a contact of an opportunity) is a
     * conflict; so is one recycled or disqualified (requalify it first).
     */
    @Transactional
    long convert(long prospectId, Convert convert, Rep rep) {
        String stage = lockProspect(prospectId);
        boolean hasOpportunity = jdbc.sql(
                        "SELECT EXISTS (SELECT 1 FROM opportunity_contact_role WHERE prospect_id = :id)")
                .param("id", prospectId)
                .query(Boolean.class)
                .single();
        if (stage.equals("SQL") || stage.equals("CUSTOMER") || hasOpportunity) {
            throw new ConflictException("This lead is already converted (stage " + stage
                    + (hasOpportunity ? ", contact of an opportunity" : "") + ")");
        }
        if (!stage.equals("MQL") && !stage.equals("SAL")) {
            throw new ConflictException("Only an MQL or SAL can be converted; this prospect is " + stage);
        }
        long opportunity =
                opportunities.create(convert.opportunity(), prospectId, convert.role(), "user:" + rep.email());
        handoffs.lockOpen(prospectId).ifPresent(h -> handoffs.outcome(h, "CONVERTED", clock.instant(), null));
        return opportunity;
    }

    /** The convert request: the opportunity to create and the lead's contact role on it. */
    record Convert(NewOpportunity opportunity, String role) {}

    static Convert convert(Map<String, Object> raw) {
        List<FieldError> errors = unknown(raw, Set.of("name", "amount", "currency", "stage", "closeDate", "role"));
        String name = raw.get("name") instanceof String n && !n.isBlank() ? n.strip() : null;
        if (name == null) {
            errors.add(new FieldError("name", "is required"));
        }
        BigDecimal amount = null;
        Object rawAmount = raw.get("amount");
        if (rawAmount instanceof Number n) {
            amount = new BigDecimal(n.toString());
        } else if (rawAmount != null) {
            errors.add(new FieldError("amount", "must be a number such as 12500, 12,500 or 12500.00"));
        }
        String currency = text(raw.get("currency"), "currency", errors);
        String oppStage = text(raw.get("stage"), "stage", errors);
        LocalDate close = null;
        if (raw.get("closeDate") instanceof String d) {
            try {
                close = InputDates.date(d.strip());
            } catch (java.time.format.DateTimeParseException e) {
                errors.add(new FieldError("closeDate", "must be a date like 2030-06-30"));
            }
        } else if (raw.get("closeDate") != null) {
            errors.add(new FieldError("closeDate", "must be a date like 2030-06-30"));
        }
        String role = raw.get("role") == null ? "DECISION_MAKER" : raw.get("role") instanceof String r ? r : "";
        if (ContactRole.parse(role) == null) {
            errors.add(new FieldError("role", "must be one of " + List.of(ContactRole.values())));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Convert(new NewOpportunity(name, null, amount, currency, oppStage, close, null, null, null), role);
    }

    private static String text(Object value, String field, List<FieldError> errors) {
        if (value == null || value instanceof String s && s.isBlank()) {
            return null;
        }
        if (value instanceof String s) {
            return s.strip();
        }
        errors.add(new FieldError(field, "must be text"));
        return null;
    }

    /** The prospect's stage, its row locked; 404 when there is none. */
    String lockProspect(long prospectId) {
        return jdbc.sql("SELECT stage FROM prospect WHERE id = :id FOR UPDATE")
                .param("id", prospectId)
                .query(String.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("No prospect " + prospectId));
    }

    private int attempts(long prospectId) {
        return jdbc.sql("SELECT count(*) FROM sales_attempt WHERE prospect_id = :id")
                .param("id", prospectId)
                .query(Integer.class)
                .single();
    }

    private boolean connected(long prospectId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM sales_attempt WHERE prospect_id = :id AND outcome = ANY(:ok))")
                .param("id", prospectId)
                .param("ok", Handoffs.CONNECTED.toArray(String[]::new))
                .query(Boolean.class)
                .single();
    }

    static List<FieldError> unknown(Map<String, Object> raw, Set<String> known) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (!known.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        return errors;
    }

    static <E extends Enum<E>> E parse(Class<E> type, Object value, String field, List<FieldError> errors) {
        if (value instanceof String s) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(s.strip())) {
                    return e;
                }
            }
        }
        errors.add(new FieldError(
                field,
                "must be one of "
                        + Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
        return null;
    }

    static String note(Object value, boolean required, List<FieldError> errors) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            if (required) {
                errors.add(new FieldError("note", "is required for this reason"));
            }
            return null;
        }
        if (!(value instanceof String s) || s.length() > MAX_NOTE) {
            errors.add(new FieldError("note", "must be text of at most " + MAX_NOTE + " characters"));
            return null;
        }
        return s.strip();
    }
}
