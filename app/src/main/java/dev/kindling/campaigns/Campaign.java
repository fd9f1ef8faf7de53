package dev.kindling.campaigns;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A marketing initiative; {@code cost} feeds ROI reports, the dates bound its active period, {@code parentId} names the
 * campaign it belongs to (or null).
 */
public record Campaign(
        long id,
        String name,
        Channel channel,
        BigDecimal cost,
        LocalDate startDate,
        LocalDate endDate,
        Long parentId,
        Instant createdAt) {

    /** Where a campaign reaches people. */
    public enum Channel {
        EMAIL,
        WEB,
        WEBINAR,
        EVENT,
        ADS,
        LIST_PURCHASE,
        OTHER
    }
}
