package dev.kindling.dataset;

import dev.kindling.engine.activity.ActivityType;
import java.time.Instant;
import java.util.Map;

/**
 * A generated activity of one prospect.
 *
 * @param externalId     idempotency key, unique within a dataset
 * @param prospectIndex  index of the prospect among the dataset's prospects
 * @param email          that prospect's email
 * @param customName     the name of a {@link ActivityType#CUSTOM} activity, else {@code null}
 * @param campaignIndex  index into {@link Dataset#campaigns()}, or {@code null}
 * @param properties     url, formName, assetName, emailId, linkUrl, ... in a stable order
 */
public record GeneratedActivity(
        String externalId,
        int prospectIndex,
        String email,
        ActivityType type,
        String customName,
        Instant occurredAt,
        Integer campaignIndex,
        Map<String, String> properties) {}
