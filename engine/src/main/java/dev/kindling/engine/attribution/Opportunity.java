package dev.kindling.engine.attribution;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What attribution needs of an opportunity: its amount in cents, its milestones (the earliest capture of its contacts
 * — the lead creation —, its creation and its close, null while open), its primary campaign (may be null) and the
 * touches of all its contact roles in any order.
 */
public record Opportunity(
        long amountCents,
        Instant leadCreatedAt,
        Instant createdAt,
        Instant closedAt,
        Long primaryCampaignId,
        List<Touch> touches) {

    public Opportunity {
        if (amountCents < 0) {
            throw new IllegalArgumentException("amount must be >= 0");
        }
        Objects.requireNonNull(createdAt, "createdAt");
        touches = List.copyOf(touches);
    }
}
