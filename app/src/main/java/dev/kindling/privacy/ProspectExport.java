package dev.kindling.privacy;

import dev.kindling.audit.AuditSearch;
import dev.kindling.grading.GradingPanel;
import dev.kindling.prospects.Prospects;
import java.time.Clock;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything Kindling holds about a prospect, as one JSON document (a subject access request): the prospect row
 * (fields, custom fields, derived state, grade explanation), its account, the grade explained, one section per table
 * that references the prospect ({@link #TABLES}: activities, visitors, score ledger, stages, lists, enrollments,
 * mail, opportunities' contact roles, sales work, consents, …), the opportunities it is a contact of, the webhook
 * payloads that carried it, and the audit entries about it. {@code ProspectExportCoverageIT} fails when a table with
 * a {@code prospect_id} column is missing from {@link #TABLES}.
 */
@Component
class ProspectExport {

    /** Every table with a {@code prospect_id} column, and the section of the document it fills. */
    static final Map<String, String> TABLES = Map.ofEntries(
            Map.entry("activity", "activities"),
            Map.entry("visitor", "visitors"),
            Map.entry("score_ledger", "scoreLedger"),
            Map.entry("score_cap", "scoreCaps"),
            Map.entry("stage_transition", "stageHistory"),
            Map.entry("stage_reached", "stagesReached"),
            Map.entry("stage_journey", "stageJourney"),
            Map.entry("list_member", "listMemberships"),
            Map.entry("list_membership_event", "listMembershipHistory"),
            Map.entry("program_enrollment", "programEnrollments"),
            Map.entry("mail_outbox", "mailSent"),
            Map.entry("email_message", "marketingEmails"),
            Map.entry("email_bounce", "emailBounces"),
            Map.entry("opportunity_contact_role", "contactRoles"),
            Map.entry("assignment", "assignments"),
            Map.entry("sales_handoff", "salesHandoffs"),
            Map.entry("sales_attempt", "salesAttempts"),
            Map.entry("automation_match", "automationMatches"),
            Map.entry("automation_rule_prospect", "automationRuns"),
            Map.entry("consent", "consents"));

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final Prospects prospects;
    private final GradingPanel grading;
    private final AuditSearch audit;

    ProspectExport(JdbcClient jdbc, JsonMapper json, Clock clock, Prospects prospects, GradingPanel grading,
            AuditSearch audit) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.prospects = prospects;
        this.grading = grading;
        this.audit = audit;
    }

    /** The document, as JSON text; 404 for an unknown prospect. */
    @Transactional(readOnly = true)
    String of(long id) {
        var view = prospects.get(id);
        ObjectNode doc = json.createObjectNode();
        doc.put("exportedAt", clock.instant().toString());
        doc.set("prospect", tree("SELECT to_jsonb(p)::text FROM prospect p WHERE p.id = :id", id));
        doc.set("account", tree("SELECT to_jsonb(a)::text FROM account a JOIN prospect p ON p.account_id = a.id"
                + " WHERE p.id = :id", id));
        doc.set("grade", json.valueToTree(grading.of(view).grade()));
        TABLES.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(t -> doc.set(t.getValue(), tree(
                "SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb)::text FROM " + t.getKey()
                        + " t WHERE t.prospect_id = :id", id)));
        doc.set("opportunities", tree("""
                SELECT coalesce(jsonb_agg(to_jsonb(o) ORDER BY o.id), '[]'::jsonb)::text FROM opportunity o
                 WHERE o.id IN (SELECT opportunity_id FROM opportunity_contact_role WHERE prospect_id = :id)""", id));
        doc.set("webhookPayloads", tree("""
                SELECT coalesce(jsonb_agg(jsonb_build_object('deliveryId', w.delivery_id, 'url', w.url, 'event', w.event,
                           'createdAt', w.created_at, 'deliveredAt', w.delivered_at, 'body', w.body) ORDER BY w.id),
                           '[]'::jsonb)::text
                  FROM webhook_outbox w
                 WHERE w.body -> 'prospect' ->> 'id' = CAST(:id AS text)
                    OR w.body -> 'data' ->> 'prospectId' = CAST(:id AS text)""", id));
        doc.set("auditEntries", json.valueToTree(audit.about("prospect", Long.toString(id))));
        return json.writeValueAsString(doc);
    }

    private tools.jackson.databind.JsonNode tree(String sql, long id) {
        return jdbc.sql(sql).param("id", id).query(String.class).optional()
                .map(json::readTree)
                .orElse(json.nullNode());
    }
}
