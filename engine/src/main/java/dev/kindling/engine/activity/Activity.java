package dev.kindling.engine.activity;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One thing a prospect did or had done to them, as the engine sees it.
 *
 * @param id          the stored activity's id
 * @param type        what happened
 * @param customName  the name of a {@link ActivityType#CUSTOM} activity, else {@code null}
 * @param occurredAt  when it happened (may be long before it was received: imported history)
 * @param campaignId  the campaign it belongs to, or {@code null}
 * @param properties  url, formName, assetName, emailId, linkUrl, ... as plain strings
 * @param bot         recorded from a known bot or scanner: stored, but scores and triggers nothing
 */
public record Activity(
        long id,
        ActivityType type,
        String customName,
        Instant occurredAt,
        Long campaignId,
        Map<String, String> properties,
        boolean bot) {

    public Activity {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
