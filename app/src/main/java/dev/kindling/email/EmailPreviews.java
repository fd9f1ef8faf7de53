package dev.kindling.email;

import dev.kindling.conditions.ConditionNeeds;
import dev.kindling.conditions.ProspectFactsLoader;
import dev.kindling.email.EmailTemplate.Case;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.grading.LifecycleThresholds;
import dev.kindling.platform.outbound.PublicUrl;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ProspectView;
import dev.kindling.prospects.Prospects;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A template as one prospect would get it — blocks chosen, merge fields filled and escaped — without tracking: links
 * stay as written and the unsubscribe link points nowhere. The HTML is shown only inside a sandboxed frame.
 */
@Component
class EmailPreviews {

    private final EmailTemplates templates;
    private final Prospects prospects;
    private final ProspectFactsLoader facts;
    private final LifecycleThresholds thresholds;
    private final PublicUrl publicUrl;
    private final EmailTokens tokens;
    private final Clock clock;

    EmailPreviews(
            EmailTemplates templates,
            Prospects prospects,
            ProspectFactsLoader facts,
            LifecycleThresholds thresholds,
            PublicUrl publicUrl,
            EmailTokens tokens,
            Clock clock) {
        this.templates = templates;
        this.prospects = prospects;
        this.facts = facts;
        this.thresholds = thresholds;
        this.publicUrl = publicUrl;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The preview. */
    record Preview(long templateId, long prospectId, String subject, String html, String text) {}

    Preview preview(long templateId, long prospectId) {
        EmailTemplate template = templates.get(templateId);
        ProspectView p = prospects
                .find(prospectId)
                .orElseThrow(() -> InvalidInputException.of("prospectId", "names no prospect"));
        Map<String, String> values = new HashMap<>();
        values.put("email", p.email());
        values.put("first_name", p.firstName());
        values.put("last_name", p.lastName());
        values.put("company", p.company());
        values.put("job_title", p.jobTitle());
        values.put("department", p.department());
        values.put("industry", p.industry());
        values.put("country", p.country());
        values.put("phone", p.phone());
        values.put("website", p.website());
        if (p.custom() != null) {
            p.custom().forEach((k, v) -> values.put("custom." + k, v == null ? null : String.valueOf(v)));
        }
        Instant now = clock.instant();
        List<Condition> conditions = template.blocks().stream()
                .flatMap(b -> b.cases().stream())
                .map(Case::condition)
                .filter(c -> c != null)
                .toList();
        ProspectFacts prospectFacts = conditions.isEmpty()
                ? null
                : facts.load(List.of(prospectId), ConditionNeeds.of(conditions), now)
                        .get(prospectId);
        EmailRenderer.Rendered r = EmailRenderer.render(
                template,
                template.subject(),
                values,
                prospectFacts,
                new ConditionEvaluator(thresholds.current()),
                now,
                null,
                publicUrl.base().orElse(""),
                tokens);
        return new Preview(templateId, prospectId, r.subject(), r.html(), r.text());
    }
}
