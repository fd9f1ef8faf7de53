package dev.kindling.salesforce;

import static dev.kindling.salesforce.SalesforceValues.date;
import static dev.kindling.salesforce.SalesforceValues.decimal;
import static dev.kindling.salesforce.SalesforceValues.flag;
import static dev.kindling.salesforce.SalesforceValues.text;

import dev.kindling.campaigns.Campaign;
import dev.kindling.campaigns.Campaigns;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Salesforce campaigns → Kindling campaigns, through {@link Campaigns#save} (the owner): name, channel from
 * {@code Type}, cost ({@code ActualCost}, else {@code BudgetedCost}), dates and parent; a blank does not erase the
 * linked campaign's value. A Campaign linked to a campaign born in Kindling ({@link CampaignLinks}) is written into that
 * campaign, never a second one. A campaign deleted in Salesforce is marked on its link; the Kindling campaign stays,
 * since its touches and opportunities refer to it.
 */
@Component
@Order(20)
class CampaignSync extends ObjectSync {

    static final String OBJECT = "Campaign";
    static final String FIELDS =
            "Id, Name, Type, ActualCost, BudgetedCost, StartDate, EndDate, ParentId, IsDeleted, SystemModstamp";
    static final BigDecimal MAX_COST = new BigDecimal("999999999999.99");

    private final JdbcClient jdbc;
    private final Campaigns campaigns;
    private final ErrorQueue errors;
    private final Clock clock;

    CampaignSync(JdbcClient jdbc, Campaigns campaigns, ErrorQueue errors, Clock clock) {
        super(OBJECT, FIELDS, "salesforce_campaign");
        this.jdbc = jdbc;
        this.campaigns = campaigns;
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    SyncCounts write(SalesforceClient client, List<Map<String, Object>> records) {
        CampaignLinks.lock(jdbc); // no admin links a Campaign while this page decides which are new
        Map<String, Long> linked = linked();
        Tally tally = new Tally();
        for (Map<String, Object> r : records) {
            String id = (String) r.get("Id");
            if (flag(r.get("IsDeleted"))) {
                tally.deleted(id, deleted(List.of(id)));
                continue;
            }
            BigDecimal actual = decimal(r.get("ActualCost"));
            BigDecimal cost = actual != null ? actual : decimal(r.get("BudgetedCost"));
            Long existing = linked.get(id);
            // a blank in Salesforce does not erase the linked campaign's value (a campaign born in Kindling keeps
            // its channel, cost and dates when its Campaign has none)
            Campaign current =
                    existing == null ? null : campaigns.find(existing).orElse(null);
            cost = cost != null ? cost : current != null ? current.cost() : BigDecimal.ZERO;
            String name = text(r.get("Name"));
            if (name == null || cost.signum() < 0 || cost.compareTo(MAX_COST) > 0) {
                errors.park(
                        OBJECT,
                        id,
                        "VALIDATION",
                        ErrorQueue.KINDLING_REFUSED,
                        name == null ? "the name is blank" : "the cost must be between 0 and " + MAX_COST,
                        List.of(name == null ? "Name" : actual != null ? "ActualCost" : "BudgetedCost"),
                        r);
                tally.failed();
                continue;
            }
            String type = text(r.get("Type"));
            LocalDate start = date(r.get("StartDate"));
            LocalDate end = date(r.get("EndDate"));
            Long parent = linked.get(text(r.get("ParentId")));
            if (current != null) {
                boolean datesBlank = start == null && end == null;
                start = datesBlank ? current.startDate() : start;
                end = datesBlank ? current.endDate() : end;
                parent = parent == null ? current.parentId() : parent;
            }
            long campaignId = campaigns.save(
                    existing,
                    new Campaigns.Values(
                            name,
                            type == null && current != null ? current.channel() : channel(type),
                            cost,
                            start,
                            end,
                            parent));
            jdbc.sql("""
                    INSERT INTO salesforce_campaign (sf_id, campaign_id, modstamp) VALUES (:id, :campaign, :stamp)
                    ON CONFLICT (sf_id) DO UPDATE SET campaign_id = EXCLUDED.campaign_id,
                           modstamp = EXCLUDED.modstamp, deleted_at = NULL""")
                    .param("id", id)
                    .param("campaign", campaignId)
                    .param("stamp", IncrementalPoll.stamp(r))
                    .update();
            linked.put(id, campaignId);
            tally.written(id, existing == null);
        }
        return tally.done(errors, OBJECT);
    }

    @Override
    int deleted(Collection<String> ids) {
        return jdbc.sql(
                        "UPDATE salesforce_campaign SET deleted_at = :now WHERE sf_id = ANY(:ids) AND deleted_at IS NULL")
                .param("now", Timestamp.from(clock.instant()))
                .param("ids", ids.toArray(String[]::new))
                .update();
    }

    /** Every linked campaign (a few thousand at most: campaigns are few), for parents and links. */
    private Map<String, Long> linked() {
        Map<String, Long> out = new HashMap<>();
        jdbc.sql("SELECT sf_id, campaign_id FROM salesforce_campaign").query(rs -> {
            out.put(rs.getString(1), rs.getLong(2));
        });
        return out;
    }

    /** Salesforce's standard campaign types as Kindling's channels. */
    static Campaign.Channel channel(String type) {
        if (type == null) {
            return Campaign.Channel.OTHER;
        }
        String t = type.toLowerCase(Locale.ROOT);
        if (t.contains("webinar")) {
            return Campaign.Channel.WEBINAR;
        }
        if (t.contains("email")) {
            return Campaign.Channel.EMAIL;
        }
        if (t.contains("conference") || t.contains("trade show") || t.contains("event") || t.contains("seminar")) {
            return Campaign.Channel.EVENT;
        }
        if (t.contains("advertisement") || t.contains("banner") || t.contains("ads")) {
            return Campaign.Channel.ADS;
        }
        if (t.contains("website") || t.contains("web")) {
            return Campaign.Channel.WEB;
        }
        return Campaign.Channel.OTHER;
    }
}
