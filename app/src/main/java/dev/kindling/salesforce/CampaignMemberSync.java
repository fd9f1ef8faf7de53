package dev.kindling.salesforce;

import static dev.kindling.salesforce.SalesforceValues.flag;
import static dev.kindling.salesforce.SalesforceValues.text;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.intake.ImmediateIntake;
import dev.kindling.intake.NewActivity;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * CampaignMember → a touch: each member, the first time it is read, becomes one activity of its prospect with the
 * campaign ({@code CUSTOM} "Salesforce campaign member", at the member's {@code CreatedDate}), recorded through
 * {@link ImmediateIntake} (the activities' owner), so attribution counts it as it counts every other campaign activity
 * and scoring rules may score it. The activity's external id is the member's id, so reading it again never adds a
 * second touch; a removed member keeps its touch (it happened). A member whose Lead or Contact is no prospect, or
 * whose campaign is not synced, is parked ({@code UNMATCHED}) and read again on retry. A member Kindling created
 * ({@link CampaignMemberPush}) adds no touch (Kindling's own touch is why it exists); every member read is noted, so
 * Kindling never creates a membership Salesforce already has.
 */
@Component
@Order(50)
class CampaignMemberSync extends ObjectSync {

    static final String OBJECT = "CampaignMember";
    static final String FIELDS =
            "Id, CampaignId, LeadId, ContactId, Status, HasResponded, IsDeleted, CreatedDate, SystemModstamp";
    static final String TOUCH = "Salesforce campaign member";

    private final JdbcClient jdbc;
    private final ImmediateIntake intake;
    private final PageLinks pageLinks;
    private final ErrorQueue errors;
    private final CampaignMemberPush pushed;
    private final Clock clock;

    CampaignMemberSync(
            JdbcClient jdbc,
            ImmediateIntake intake,
            PageLinks pageLinks,
            ErrorQueue errors,
            CampaignMemberPush pushed,
            Clock clock) {
        super(OBJECT, FIELDS, "salesforce_campaign_member");
        this.pushed = pushed;
        this.jdbc = jdbc;
        this.intake = intake;
        this.pageLinks = pageLinks;
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    SyncCounts write(SalesforceClient client, List<Map<String, Object>> records) {
        List<Map<String, Object>> live = PageLinks.live(records);
        Map<String, Long> campaigns =
                pageLinks.links("salesforce_campaign", "campaign_id", PageLinks.named(live, "CampaignId"));
        Map<String, Long> prospects = pageLinks.prospects(client, records, "ContactId", "LeadId");
        int created = 0;
        int deleted = 0;
        int failed = 0;
        List<String> through = new ArrayList<>();
        List<NewActivity> touches = new ArrayList<>();
        List<Map<String, Object>> links = new ArrayList<>();
        // members Kindling created for its own touches: linked, but their touch is Kindling's own, already recorded
        java.util.Set<String> ours = new java.util.HashSet<>(pushed.createdByKindling(
                live.stream().map(r -> (String) r.get("Id")).toList()));
        List<Long> memberProspects = new ArrayList<>();
        List<String> memberCampaigns = new ArrayList<>();
        List<String> memberIds = new ArrayList<>();
        for (Map<String, Object> r : records) {
            String id = (String) r.get("Id");
            if (flag(r.get("IsDeleted"))) {
                deleted += deleted(List.of(id));
                through.add(id);
                continue;
            }
            // a lead converted to a contact keeps its membership: the contact is the person now
            String person = text(r.get("ContactId")) != null ? text(r.get("ContactId")) : text(r.get("LeadId"));
            Long prospect = person == null ? null : prospects.get(person);
            Long campaign = campaigns.get(text(r.get("CampaignId")));
            if (prospect == null || campaign == null) {
                pageLinks.unmatched(
                        OBJECT,
                        r,
                        campaign == null ? "CAMPAIGN_NOT_SYNCED" : "NO_PROSPECT",
                        campaign == null
                                ? "Campaign " + r.get("CampaignId") + " is not synced to Kindling"
                                : "Member " + person + " is no Kindling prospect (no prospect has its email)",
                        campaign == null ? "CampaignId" : text(r.get("ContactId")) != null ? "ContactId" : "LeadId");
                failed++;
                continue;
            }
            links.add(r);
            through.add(id);
            memberProspects.add(prospect);
            memberCampaigns.add(text(r.get("CampaignId")));
            memberIds.add(id);
            if (ours.contains(id)) {
                continue;
            }
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("salesforceId", id);
            if (text(r.get("Status")) != null) {
                properties.put("status", text(r.get("Status")));
            }
            properties.put("responded", Boolean.toString(flag(r.get("HasResponded"))));
            touches.add(new NewActivity(
                    "salesforce:CampaignMember:" + id,
                    prospect,
                    null,
                    null,
                    ActivityType.CUSTOM,
                    TOUCH,
                    SalesforceTimes.parse((String) r.get("CreatedDate")),
                    campaign,
                    properties,
                    false));
        }
        created += intake.apply(touches).size();
        pushed.known(memberProspects, memberCampaigns, memberIds, clock.instant());
        if (!links.isEmpty()) {
            jdbc.sql("""
                    INSERT INTO salesforce_campaign_member (sf_id, campaign_sf_id, modstamp)
                    SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:campaigns AS text[]), CAST(:stamps AS timestamptz[]))
                    ON CONFLICT (sf_id) DO UPDATE SET campaign_sf_id = EXCLUDED.campaign_sf_id,
                           modstamp = EXCLUDED.modstamp, deleted_at = NULL""")
                    .param("ids", links.stream().map(r -> (String) r.get("Id")).toArray(String[]::new))
                    .param(
                            "campaigns",
                            links.stream()
                                    .map(r -> (String) r.get("CampaignId"))
                                    .toArray(String[]::new))
                    .param("stamps", links.stream().map(IncrementalPoll::stamp).toArray(Timestamp[]::new))
                    .update();
        }
        errors.cleared(OBJECT, through);
        return new SyncCounts(created, links.size() - created, deleted, failed, 0);
    }

    @Override
    int deleted(Collection<String> ids) {
        return jdbc.sql("""
                        UPDATE salesforce_campaign_member SET deleted_at = :now
                         WHERE sf_id = ANY(:ids) AND deleted_at IS NULL""")
                .param("now", Timestamp.from(clock.instant()))
                .param("ids", ids.toArray(String[]::new))
                .update();
    }
}
