package dev.kindling.intake;

import dev.kindling.engine.activity.ActivityType;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A validated activity about to be accepted. It names its subject by exactly one of
 * {@code prospectId}, {@code email} (normalised; the prospect is created when missing) or
 * {@code visitorId} (an anonymous visitor, attributed to its prospect once linked).
 */
public record NewActivity(
        String externalId,
        Long prospectId,
        String email,
        String visitorId,
        ActivityType type,
        String customName,
        Instant occurredAt,
        Long campaignId,
        Map<String, String> properties,
        boolean bot) {

    public NewActivity {
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        int subjects = (prospectId != null ? 1 : 0) + (email != null ? 1 : 0) + (visitorId != null ? 1 : 0);
        if (subjects == 0) {
            throw new IllegalArgumentException("an activity needs a prospectId, an email or a visitorId");
        }
    }

    /** The same activity about another prospect (one this activity's prospect was merged into). */
    NewActivity about(long prospect) {
        return new NewActivity(
                externalId, prospect, email, visitorId, type, customName, occurredAt, campaignId, properties, bot);
    }
}
