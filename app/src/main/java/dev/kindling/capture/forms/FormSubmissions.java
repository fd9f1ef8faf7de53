package dev.kindling.capture.forms;

import dev.kindling.capture.FilledValues;
import dev.kindling.capture.VisitorId;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.intake.Visitors;
import dev.kindling.platform.web.FieldError;
import dev.kindling.prospects.CustomField;
import dev.kindling.prospects.ProspectChanges;
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
 * A visitor already linked to another prospect submitting as this one merges the two. Valid posts that arrive
 * together are stored together in one transaction ({@link #submitAll}, from {@link FormPosts}), with the same result.
 */
@Component
class FormSubmissions {

    private static final String EMAIL = ProspectField.EMAIL.json();

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
        Set<String> alreadyKnown = Set.of();
        if (progressive) {
            Long submitter = knownProspect(mapped(form, posted).get(EMAIL), origin.visitor());
            alreadyKnown = submitter == null ? Set.of() : prospects.filledFields(submitter);
        }
        Checked checked = check(form, posted, alreadyKnown, prospects.customFields());
        Instant now = clock.instant();
        Map<String, String> properties = properties(form, origin);
        if (!checked.valid()) {
            List<FieldError> byPostedName = postedNames(form, checked.errors().values());
            properties.put(
                    "errors",
                    byPostedName.stream()
                            .map(e -> e.field() + ": " + e.message())
                            .collect(Collectors.joining("; ")));
            Long known = knownProspect(checked.raw().get(EMAIL), origin.visitor());
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
        long prospectId =
                prospects.upsert(checked.changes(), "form:" + form.key()).id();
        intake.accept(List.of(submitted(form, prospectId, properties, origin, now)));
        prospectId = afterUpsert(form, prospectId, origin, now, new HashMap<>());
        return new Outcome(prospectId, List.of());
    }

    /** A submission checked against its form: the mapped values, the prospect's changes, the errors by target field. */
    record Checked(Map<String, Object> raw, ProspectChanges changes, Map<String, FieldError> errors) {

        boolean valid() {
            return errors.isEmpty();
        }
    }

    /**
     * Checks a post against its form (email and required fields, the values' syntax and lengths), without the
     * database: {@code alreadyKnown} are the fields progressive profiling does not ask for again.
     */
    static Checked check(
            Form form, Map<String, String> posted, Set<String> alreadyKnown, Map<String, CustomField> customFields) {
        Map<String, Object> raw = mapped(form, posted);
        Map<String, FieldError> errors = new LinkedHashMap<>();
        if (raw.get(EMAIL) == null || raw.get(EMAIL).toString().isBlank()) {
            errors.put(EMAIL, new FieldError(EMAIL, "is required"));
        }
        for (String required : form.requiredFields()) {
            if (alreadyKnown.contains(required)) {
                continue;
            }
            if (raw.get(required) == null || raw.get(required).toString().isBlank()) {
                errors.putIfAbsent(required, new FieldError(required, "is required"));
            }
        }
        ProspectValidator.Result result = ProspectValidator.validate(raw, customFields, true, "");
        for (FieldError e : result.errors()) {
            errors.putIfAbsent(e.field(), e);
        }
        // an optional field left empty does not erase what is known already
        return new Checked(raw, FilledValues.of(result.changes()), errors);
    }

    /** A valid post of a form without progressive profiling, waiting to be stored with others ({@link FormPosts}). */
    record Valid(Form form, ProspectChanges changes, Origin origin, Instant at) {}

    /**
     * Stores valid posts together, in one transaction, as {@link #submit} stores each: the prospects created or
     * updated (one round of statements for all: {@link Prospects#upsertAll}), their FORM_SUBMITs (one insert), then
     * per post in order the visitor link (and merge) and the completion actions. Returns each post's prospect.
     */
    @Transactional
    List<Long> submitAll(List<Valid> posts) {
        List<Long> ids = prospects.upsertAll(
                posts.stream().map(Valid::changes).toList(),
                posts.stream().map(p -> "form:" + p.form().key()).toList());
        List<NewActivity> activities = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            Valid p = posts.get(i);
            activities.add(submitted(p.form(), ids.get(i), properties(p.form(), p.origin()), p.origin(), p.at()));
        }
        intake.accept(activities);
        Map<Long, Long> mergedNow = new HashMap<>();
        List<Long> result = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            Valid p = posts.get(i);
            result.add(afterUpsert(p.form(), survivor(mergedNow, ids.get(i)), p.origin(), p.at(), mergedNow));
        }
        return result;
    }

    /**
     * The visitor link and the completion actions of a stored submission; returns the prospect, which a merge may
     * have changed. A merge is noted in {@code mergedNow} (the prospect merged away, to the one kept).
     */
    private long afterUpsert(Form form, long prospectId, Origin origin, Instant now, Map<Long, Long> mergedNow) {
        if (origin.visitor() != null) {
            // a browser already known as another prospect: the same person, merged (docs/prospects.md "Merge")
            Long linked = visitors.prospectOf(origin.visitor().value()).orElse(null);
            if (linked != null && linked != prospectId) {
                long kept = merges.mergeAutomatically(
                                linked,
                                prospectId,
                                "visitor:" + origin.visitor().value())
                        .orElse(prospectId);
                if (kept != linked) {
                    mergedNow.put(linked, kept);
                }
                if (kept != prospectId) {
                    mergedNow.put(prospectId, kept);
                }
                prospectId = kept;
            }
            visitors.link(origin.visitor().value(), prospectId, now);
        }
        // completion actions run on every successful submission, in this transaction
        completionActions.run(form.completionActions(), prospectId, "form:" + form.key(), form.name());
        return prospectId;
    }

    private static long survivor(Map<Long, Long> mergedNow, long id) {
        Long next = mergedNow.get(id);
        return next == null ? id : survivor(mergedNow, next);
    }

    private static Map<String, Object> mapped(Form form, Map<String, String> posted) {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : form.fieldMapping().entrySet()) {
            String value = posted.get(m.getKey());
            if (value != null) {
                raw.put(m.getValue(), value);
            }
        }
        return raw;
    }

    private static Map<String, String> properties(Form form, Origin origin) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("formName", form.name());
        properties.put("formKey", form.key());
        if (origin.pageUrl() != null) {
            properties.put("url", origin.pageUrl());
        }
        if (origin.userAgent() != null) {
            properties.put("userAgent", origin.userAgent());
        }
        return properties;
    }

    private static NewActivity submitted(
            Form form, long prospectId, Map<String, String> properties, Origin origin, Instant at) {
        return new NewActivity(
                externalId(form),
                prospectId,
                null,
                null,
                ActivityType.FORM_SUBMIT,
                null,
                at,
                form.campaignId(),
                properties,
                origin.bot());
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
