package dev.kindling.privacy;

import dev.kindling.audit.AuditSearch;
import dev.kindling.grading.GradingPanel;
import dev.kindling.prospects.Prospects;
import java.time.Clock;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything Kindling holds about a prospect, as one JSON document (a subject access request): the prospect row
 * (fields, custom fields, derived state, grade explanation), its account, the grade explained, one section per table
 * that references the prospect ({@link #TABLES}: activities, visitors, score ledger, stages, lists, enrollments,
 * mail, opportunities' contact roles, sales work, consents, the prospects merged into it, …), the opportunities it is
 * a contact of, the webhook payloads that carried it, and the audit entries about it. {@code PrivacyIT} fails when a
 * column referring to a prospect is missing from {@link #TABLES}.
 */
@Component
class ProspectExport {

    /** Every column referring to a prospect ({@code table.column}), and the section of the document it fills. */
    static final Map<String, String> TABLES = Map.ofEntries(
            Map.entry("activity.prospect_id", "activities"),
            Map.entry("activity_queue.prospect_id", "activitiesQueued"),
            Map.entry("prospect_action.prospect_id", "actionSummary"),
            Map.entry("visitor.prospect_id", "visitors"),
            Map.entry("score_ledger.prospect_id", "scoreLedger"),
            Map.entry("score_cap.prospect_id", "scoreCaps"),
            Map.entry("grade_history.prospect_id", "gradeHistory"),
            Map.entry("stage_transition.prospect_id", "stageHistory"),
            Map.entry("stage_reached.prospect_id", "stagesReached"),
            Map.entry("stage_journey.prospect_id", "stageJourney"),
            Map.entry("list_member.prospect_id", "listMemberships"),
            Map.entry("list_membership_event.prospect_id", "listMembershipHistory"),
            Map.entry("program_enrollment.prospect_id", "programEnrollments"),
            Map.entry("mail_outbox.prospect_id", "mailSent"),
            Map.entry("email_message.prospect_id", "marketingEmails"),
            Map.entry("email_bounce.prospect_id", "emailBounces"),
            Map.entry("opportunity_contact_role.prospect_id", "contactRoles"),
            Map.entry("assignment.prospect_id", "assignments"),
            Map.entry("sales_handoff.prospect_id", "salesHandoffs"),
            Map.entry("sales_attempt.prospect_id", "salesAttempts"),
            Map.entry("sales_task.prospect_id", "salesTasks"),
            Map.entry("automation_match.prospect_id", "automationMatches"),
            Map.entry("automation_rule_prospect.prospect_id", "automationRuns"),
            Map.entry("consent.prospect_id", "consents"),
            Map.entry("salesforce_record.prospect_id", "salesforceRecords"),
            Map.entry("salesforce_outbox.prospect_id", "salesforcePush"),
            Map.entry("salesforce_member_push.prospect_id", "salesforceCampaignMembers"),
            Map.entry("salesforce_contact_role.prospect_id", "salesforceContactRoles"),
            Map.entry("prospect_merged.survivor_id", "mergedProspects"),
            Map.entry("prospect_due.prospect_id", "dueInstants"));

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final Prospects prospects;
    private final GradingPanel grading;
    private final AuditSearch audit;

    ProspectExport(
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock,
            Prospects prospects,
            GradingPanel grading,
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
        doc.set(
                "account",
                tree(
                        "SELECT to_jsonb(a)::text FROM account a JOIN prospect p ON p.account_id = a.id"
                                + " WHERE p.id = :id",
                        id));
        doc.set("grade", json.valueToTree(grading.of(view).grade()));
        TABLES.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(t -> {
            String table = t.getKey().substring(0, t.getKey().indexOf('.'));
            String column = t.getKey().substring(t.getKey().indexOf('.') + 1);
            doc.set(
                    t.getValue(),
                    tree(
                            "SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb)::text FROM " + table + " t WHERE t."
                                    + column + " = :id",
                            id));
        });
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
        return jdbc.sql(sql)
                .param("id", id)
                .query(String.class)
                .optional()
                .map(json::readTree)
                .orElse(json.nullNode());
    }
}
