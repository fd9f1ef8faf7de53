package dev.kindling.capture.forms;

import dev.kindling.capture.FilledValues;
import dev.kindling.capture.VisitorId;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.intake.Visitors;
import dev.kindling.platform.web.FieldError;
import dev.kindling.prospects.ProspectField;
import dev.kindling.prospects.ProspectMerges;
import dev.kindling.prospects.ProspectValidator;
import dev.kindling.prospects.Prospects;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies one form submission: validates the mapped fields, then either creates or updates the
 * prospect, records FORM_SUBMIT and links the visitor — all in one transaction — or stores nothing but a
 * FORM_ERROR with the errors on a prospect that already exists (known by the visitor or the email).
 * A visitor already linked to another prospect submitting as this one merges the two.
 */
@Component
class FormSubmissions {

    private final Prospects prospects;
    private final ActivityIntake intake;
    private final Visitors visitors;
    private final Clock clock;

    private final dev.kindling.automation.CompletionActions completionActions;
    private final ProspectMerges merges;

    FormSubmissions(
            Prospects prospects,
            ActivityIntake intake,
            Visitors visitors,
            Clock clock,
            dev.kindling.automation.CompletionActions completionActions,
            ProspectMerges merges) {
        this.merges = merges;
        this.completionActions = completionActions;
        this.prospects = prospects;
        this.intake = intake;
        this.visitors = visitors;
        this.clock = clock;
    }

    /** Where the submission came from: visitor (may be null), page URL (Referer, may be null), user agent. */
    record Origin(VisitorId visitor, String pageUrl, String userAgent, boolean bot) {}

    /** The outcome: the prospect on success, else the errors named by posted field. */
    record Outcome(Long prospectId, List<FieldError> errors) {

        boolean valid() {
            return errors.isEmpty();
        }
    }

    /**
     * Validates and stores a submission. With progressive profiling ({@code progressive}) a required field the known
     * submitter (the visitor's prospect, else the posted email's) already has counts as given: the hosted form did not
     * ask for it.
     */
    @Transactional
    Outcome submit(Form form, Map<String, String> posted, Origin origin, boolean progressive) {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : form.fieldMapping().entrySet()) {
            String value = posted.get(m.getKey());
            if (value != null) {
                raw.put(m.getValue(), value);
            }
        }
        Map<String, FieldError> errors = new LinkedHashMap<>();
        String email = ProspectField.EMAIL.json();
        if (raw.get(email) == null || raw.get(email).toString().isBlank()) {
            errors.put(email, new FieldError(email, "is required"));
        }
        Set<String> alreadyKnown = Set.of();
        if (progressive) {
            Long submitter = knownProspect(raw.get(email), origin.visitor());
            alreadyKnown = submitter == null ? Set.of() : prospects.filledFields(submitter);
        }
        for (String required : form.requiredFields()) {
            if (alreadyKnown.contains(required)) {
                continue;
            }
            if (raw.get(required) == null || raw.get(required).toString().isBlank()) {
                errors.putIfAbsent(required, new FieldError(required, "is required"));
            }
        }
        ProspectValidator.Result result = ProspectValidator.validate(raw, prospects.customFields(), true, "");
        for (FieldError e : result.errors()) {
            errors.putIfAbsent(e.field(), e);
        }
        Instant now = clock.instant();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("formName", form.name());
        properties.put("formKey", form.key());
        if (origin.pageUrl() != null) {
            properties.put("url", origin.pageUrl());
        }
        if (origin.userAgent() != null) {
            properties.put("userAgent", origin.userAgent());
        }
        if (!errors.isEmpty()) {
            List<FieldError> byPostedName = postedNames(form, errors.values());
            properties.put(
                    "errors",
                    byPostedName.stream()
                            .map(e -> e.field() + ": " + e.message())
                            .collect(Collectors.joining("; ")));
            Long known = knownProspect(raw.get(email), origin.visitor());
            if (known != null) {
                intake.accept(List.of(new NewActivity(
                        externalId(form),
                        known,
                        null,
                        null,
                        ActivityType.FORM_ERROR,
                        null,
                        now,
                        form.campaignId(),
                        properties,
                        origin.bot())));
            }
            return new Outcome(null, byPostedName);
        }
        // an optional field left empty does not erase what is known already
        long prospectId = prospects
                .upsert(FilledValues.of(result.changes()), "form:" + form.key())
                .id();
        intake.accept(List.of(new NewActivity(
                externalId(form),
                prospectId,
                null,
                null,
                ActivityType.FORM_SUBMIT,
                null,
                now,
                form.campaignId(),
                properties,
                origin.bot())));
        if (origin.visitor() != null) {
            // a browser already known as another prospect: the same person, merged (docs/prospects.md "Merge")
            Long linked = visitors.prospectOf(origin.visitor().value()).orElse(null);
            if (linked != null && linked != prospectId) {
                prospectId = merges.mergeAutomatically(
                                linked,
                                prospectId,
                                "visitor:" + origin.visitor().value())
                        .orElse(prospectId);
            }
            visitors.link(origin.visitor().value(), prospectId, now);
        }
        // completion actions run on every successful submission, in this transaction
        completionActions.run(form.completionActions(), prospectId, "form:" + form.key(), form.name());
        return new Outcome(prospectId, List.of());
    }

    /**
     * The prospect a rejected submission is recorded on: the one the visitor is linked to, else the one with the
     * posted email; null when neither is known, and then nothing is stored (a rejected post never creates anyone).
     */
    private Long knownProspect(Object postedEmail, VisitorId visitor) {
        if (visitor != null) {
            Long linked = visitors.prospectOf(visitor.value()).orElse(null);
            if (linked != null) {
                return linked;
            }
        }
        EmailAddress valid = postedEmail instanceof String s ? EmailAddress.parse(s) : null;
        return valid == null
                ? null
                : prospects.findByEmail(valid.value()).map(p -> p.id()).orElse(null);
    }

    /** Errors are reported by the names the website posts, so its error page can point at its own fields. */
    private static List<FieldError> postedNames(Form form, java.util.Collection<FieldError> errors) {
        Map<String, String> postedByTarget = new HashMap<>();
        form.fieldMapping().forEach((posted, target) -> postedByTarget.putIfAbsent(target, posted));
        List<FieldError> named = new ArrayList<>();
        for (FieldError e : errors) {
            named.add(new FieldError(postedByTarget.getOrDefault(e.field(), e.field()), e.message()));
        }
        return named;
    }

    private static String externalId(Form form) {
        return "form-" + form.key() + "-" + UUID.randomUUID();
    }
}
