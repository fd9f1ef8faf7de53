package dev.kindling.dataset;

/** The channel of a campaign, spelled as the {@code campaign.channel} column expects. */
public enum CampaignChannel {
    EMAIL,
    WEB,
    WEBINAR,
    EVENT,
    ADS,
    LIST_PURCHASE,
    OTHER
}
