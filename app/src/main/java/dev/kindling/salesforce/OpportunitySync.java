package dev.kindling.salesforce;

import static dev.kindling.salesforce.SalesforceValues.date;
import static dev.kindling.salesforce.SalesforceValues.decimal;
import static dev.kindling.salesforce.SalesforceValues.flag;
import static dev.kindling.salesforce.SalesforceValues.text;

import dev.kindling.engine.condition.ProspectFacts.OpportunityType;
import dev.kindling.opportunities.NewOpportunity;
import dev.kindling.opportunities.Opportunities;
import dev.kindling.opportunities.OpportunityStatus;
import dev.kindling.opportunities.SyncedOpportunity;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Salesforce opportunities → Kindling opportunities, through {@link Opportunities#sync} (the owner): status from
 * {@code IsClosed}/{@code IsWon} (never the stage name), the account and primary campaign through their links, and
 * Salesforce's {@code CreatedDate} and close time as the times of the effects. The close time is the end of the
 * {@code CloseDate} day, or the record's {@code LastModifiedDate} when that is earlier (Salesforce keeps no close
 * timestamp on the opportunity itself), never before its creation. A deleted opportunity is deleted in Kindling.
 */
@Component
@Order(30)
class OpportunitySync extends ObjectSync {

    static final String OBJECT = "Opportunity";
    static final String FIELDS =
            "Id, Name, AccountId, Amount, StageName, Probability, CloseDate, Type, CampaignId, IsClosed, IsWon,"
                    + " IsDeleted, CreatedDate, LastModifiedDate, SystemModstamp";

    private final JdbcClient jdbc;
    private final Opportunities opportunities;
    private final ErrorQueue errors;
    private final PageLinks pageLinks;

    OpportunitySync(JdbcClient jdbc, Opportunities opportunities, ErrorQueue errors, PageLinks pageLinks) {
        super(OBJECT, FIELDS, "salesforce_opportunity");
        this.jdbc = jdbc;
        this.opportunities = opportunities;
        this.errors = errors;
        this.pageLinks = pageLinks;
    }

    @Override
    SyncCounts write(SalesforceClient client, List<Map<String, Object>> records) {
        List<String> ids = records.stream().map(r -> (String) r.get("Id")).toList();
        Map<String, Long> linked = pageLinks.links("salesforce_opportunity", "opportunity_id", ids);
        Map<String, Long> accounts =
                pageLinks.links("salesforce_account", "account_id", PageLinks.named(records, "AccountId"));
        Map<String, Long> campaigns =
                pageLinks.links("salesforce_campaign", "campaign_id", PageLinks.named(records, "CampaignId"));
        Tally tally = new Tally();
        for (Map<String, Object> r : records) {
            String id = (String) r.get("Id");
            Long existing = linked.get(id);
            if (flag(r.get("IsDeleted"))) {
                if (existing != null) {
                    opportunities.deleteSynced(existing);
                }
                tally.deleted(id, existing == null ? 0 : 1);
                continue;
            }
            try {
                long oid = opportunities.sync(existing, synced(r, accounts, campaigns));
                jdbc.sql("""
                        INSERT INTO salesforce_opportunity (sf_id, opportunity_id, modstamp) VALUES (:id, :o, :stamp)
                        ON CONFLICT (sf_id) DO UPDATE SET opportunity_id = EXCLUDED.opportunity_id,
                               modstamp = EXCLUDED.modstamp""")
                        .param("id", id)
                        .param("o", oid)
                        .param("stamp", IncrementalPoll.stamp(r))
                        .update();
                tally.written(id, existing == null);
            } catch (InvalidInputException e) {
                errors.park(
                        OBJECT,
                        id,
                        "VALIDATION",
                        ErrorQueue.KINDLING_REFUSED,
                        e.errors().stream()
                                .map(f -> f.field() + " " + f.message())
                                .reduce((a, b) -> a + "; " + b)
                                .orElse("refused"),
                        e.errors().stream()
                                .map(FieldError::field)
                                .map(OpportunitySync::sfField)
                                .toList(),
                        r);
                tally.failed();
            }
        }
        return tally.done(errors, OBJECT);
    }

    @Override
    int deleted(Collection<String> ids) {
        Map<String, Long> linked = pageLinks.links("salesforce_opportunity", "opportunity_id", ids);
        linked.values().forEach(opportunities::deleteSynced);
        return linked.size();
    }

    static SyncedOpportunity synced(Map<String, Object> r, Map<String, Long> accounts, Map<String, Long> campaigns) {
        OpportunityStatus status = !flag(r.get("IsClosed"))
                ? OpportunityStatus.OPEN
                : flag(r.get("IsWon")) ? OpportunityStatus.WON : OpportunityStatus.LOST;
        BigDecimal probability = decimal(r.get("Probability"));
        Instant created = SalesforceTimes.parse((String) r.get("CreatedDate"));
        LocalDate closeDate = date(r.get("CloseDate"));
        NewOpportunity values = new NewOpportunity(
                text(r.get("Name")),
                text(r.get("AccountId")) == null ? null : accounts.get(text(r.get("AccountId"))),
                decimal(r.get("Amount")),
                null,
                text(r.get("StageName")),
                closeDate,
                type(text(r.get("Type"))),
                probability == null
                        ? null
                        : probability.setScale(0, RoundingMode.HALF_UP).intValue(),
                text(r.get("CampaignId")) == null ? null : campaigns.get(text(r.get("CampaignId"))));
        return new SyncedOpportunity("salesforce", values, status, created, closedAt(r, created, closeDate));
    }

    private static Instant closedAt(Map<String, Object> r, Instant created, LocalDate closeDate) {
        Instant modified = SalesforceTimes.parse((String) r.get("LastModifiedDate"));
        Instant at = modified == null ? created : modified;
        if (closeDate != null) {
            Instant endOfDay = closeDate
                    .plusDays(1)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant()
                    .minusMillis(1);
            at = endOfDay.isBefore(at) ? endOfDay : at;
        }
        return at.isBefore(created) ? created : at;
    }

    /** Salesforce's standard Type values: "New Business"/"New Customer" and "Existing Business"/"Existing …". */
    static OpportunityType type(String type) {
        if (type == null) {
            return null;
        }
        String t = type.toLowerCase(Locale.ROOT);
        return t.startsWith("new")
                ? OpportunityType.NEW_BUSINESS
                : t.startsWith("existing") ? OpportunityType.EXISTING_BUSINESS : null;
    }

    private static String sfField(String kindlingField) {
        return switch (kindlingField) {
            case "name" -> "Name";
            case "amount" -> "Amount";
            case "stage" -> "StageName";
            case "probability" -> "Probability";
            default -> kindlingField;
        };
    }
}
