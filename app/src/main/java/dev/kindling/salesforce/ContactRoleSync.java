package dev.kindling.salesforce;

import static dev.kindling.salesforce.SalesforceValues.flag;
import static dev.kindling.salesforce.SalesforceValues.text;

import dev.kindling.opportunities.ContactRole;
import dev.kindling.opportunities.NewContactRole;
import dev.kindling.opportunities.Opportunities;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * OpportunityContactRole → the prospects on Kindling opportunities, through {@link Opportunities#syncContact} (the
 * owner), so the prospect moves to SQL (and to CUSTOMER, or RECYCLED, when the opportunity is already closed) with
 * Salesforce's times. The Contact is resolved to its prospect by {@link PageLinks}; a role whose Contact is
 * no prospect, or whose opportunity is not synced, is parked ({@code UNMATCHED}) and read again on retry. A deleted
 * role takes the prospect off the opportunity.
 */
@Component
@Order(40)
class ContactRoleSync extends ObjectSync {

    static final String OBJECT = "OpportunityContactRole";
    static final String FIELDS =
            "Id, OpportunityId, ContactId, Role, IsPrimary, IsDeleted, CreatedDate, SystemModstamp";

    private final JdbcClient jdbc;
    private final Opportunities opportunities;
    private final PageLinks pageLinks;
    private final ErrorQueue errors;

    ContactRoleSync(JdbcClient jdbc, Opportunities opportunities, PageLinks pageLinks, ErrorQueue errors) {
        super(OBJECT, FIELDS, "salesforce_contact_role");
        this.jdbc = jdbc;
        this.opportunities = opportunities;
        this.pageLinks = pageLinks;
        this.errors = errors;
    }

    private record Link(String opportunitySfId, long prospectId) {}

    @Override
    SyncCounts write(SalesforceClient client, List<Map<String, Object>> records) {
        List<String> ids = records.stream().map(r -> (String) r.get("Id")).toList();
        Map<String, Link> linked = linked(ids);
        Map<String, Long> opportunityIds =
                pageLinks.links("salesforce_opportunity", "opportunity_id", PageLinks.named(records, "OpportunityId"));
        Map<String, Long> prospects = pageLinks.prospects(client, records, "ContactId");
        Tally tally = new Tally();
        for (Map<String, Object> r : records) {
            String id = (String) r.get("Id");
            Link before = linked.get(id);
            if (flag(r.get("IsDeleted"))) {
                if (before != null) {
                    remove(id, before);
                }
                tally.deleted(id, before == null ? 0 : 1);
                continue;
            }
            String contact = text(r.get("ContactId"));
            Long opportunity = opportunityIds.get(text(r.get("OpportunityId")));
            Long prospect = prospects.get(contact);
            if (opportunity == null || prospect == null) {
                pageLinks.unmatched(
                        OBJECT,
                        r,
                        opportunity == null ? "OPPORTUNITY_NOT_SYNCED" : "NO_PROSPECT",
                        opportunity == null
                                ? "Opportunity " + r.get("OpportunityId") + " is not synced to Kindling"
                                : "Contact " + contact + " is no Kindling prospect (no prospect has its email)",
                        opportunity == null ? "OpportunityId" : "ContactId");
                tally.failed();
                continue;
            }
            if (before != null
                    && (before.prospectId() != prospect
                            || !before.opportunitySfId().equals(r.get("OpportunityId")))) {
                remove(id, before);
            }
            Instant at = SalesforceTimes.parse((String) r.get("CreatedDate"));
            opportunities.syncContact(
                    opportunity, new NewContactRole(prospect, role(text(r.get("Role"))), flag(r.get("IsPrimary"))), at);
            jdbc.sql("""
                    INSERT INTO salesforce_contact_role (sf_id, opportunity_sf_id, contact_sf_id, prospect_id, modstamp)
                    VALUES (:id, :opportunity, :contact, :prospect, :stamp)
                    ON CONFLICT (sf_id) DO UPDATE SET opportunity_sf_id = EXCLUDED.opportunity_sf_id,
                           contact_sf_id = EXCLUDED.contact_sf_id, prospect_id = EXCLUDED.prospect_id,
                           modstamp = EXCLUDED.modstamp""")
                    .param("id", id)
                    .param("opportunity", r.get("OpportunityId"))
                    .param("contact", contact)
                    .param("prospect", prospect)
                    .param("stamp", IncrementalPoll.stamp(r))
                    .update();
            tally.written(id, before == null);
        }
        return tally.done(errors, OBJECT);
    }

    @Override
    int deleted(Collection<String> ids) {
        Map<String, Link> linked = linked(ids);
        linked.forEach(this::remove);
        return linked.size();
    }

    private Map<String, Link> linked(Collection<String> ids) {
        Map<String, Link> out = new HashMap<>();
        jdbc.sql("SELECT sf_id, opportunity_sf_id, prospect_id FROM salesforce_contact_role WHERE sf_id = ANY(:ids)")
                .param("ids", ids.toArray(String[]::new))
                .query(rs -> {
                    out.put(rs.getString(1), new Link(rs.getString(2), rs.getLong(3)));
                });
        return out;
    }

    /** Takes the role's prospect off its opportunity (unless another role still puts it there) and forgets it. */
    private void remove(String sfId, Link link) {
        jdbc.sql("DELETE FROM salesforce_contact_role WHERE sf_id = :id")
                .param("id", sfId)
                .update();
        Long opportunity = jdbc.sql("""
                        SELECT o.opportunity_id FROM salesforce_opportunity o
                         WHERE o.sf_id = :opportunity
                           AND NOT EXISTS (SELECT 1 FROM salesforce_contact_role c
                                            WHERE c.opportunity_sf_id = o.sf_id AND c.prospect_id = :prospect)""")
                .param("opportunity", link.opportunitySfId())
                .param("prospect", link.prospectId())
                .query(Long.class)
                .optional()
                .orElse(null);
        if (opportunity != null) {
            opportunities.removeSyncedContact(opportunity, link.prospectId());
        }
    }

    /** Salesforce's role picklist ("Decision Maker", "Economic Buyer", …); anything else is OTHER. */
    static ContactRole role(String role) {
        if (role == null) {
            return ContactRole.OTHER;
        }
        ContactRole parsed =
                ContactRole.parse(role.strip().replaceAll("[\\s-]+", "_").toUpperCase(Locale.ROOT));
        return parsed == null ? ContactRole.OTHER : parsed;
    }
}
