package dev.kindling.opportunities;

import dev.kindling.engine.condition.ProspectFacts.OpportunityType;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * An opportunity about to be created; {@link Opportunities} validates it (every problem a 400 field error).
 *
 * @param name              1–200 characters
 * @param accountId         the account, or null
 * @param amount            ≥ 0, at most two decimals; null is 0
 * @param currency          ISO 4217 code; null is the configured default ({@code kindling.opportunities.currency})
 * @param stage             the sales stage label, free text up to 100 characters; null is "Prospecting"
 * @param closeDate         the expected close date, or null
 * @param type              new or existing business, or null
 * @param probability       0–100, or null
 * @param primaryCampaignId the campaign credited with the deal, or null
 */
public record NewOpportunity(
        String name,
        Long accountId,
        BigDecimal amount,
        String currency,
        String stage,
        LocalDate closeDate,
        OpportunityType type,
        Integer probability,
        Long primaryCampaignId) {

    /** The simplest opportunity: a name and an amount. */
    public static NewOpportunity of(String name, BigDecimal amount) {
        return new NewOpportunity(name, null, amount, null, null, null, null, null, null);
    }

    /** This opportunity with another account. */
    public NewOpportunity withAccount(Long account) {
        return new NewOpportunity(
                name, account, amount, currency, stage, closeDate, type, probability, primaryCampaignId);
    }
}
