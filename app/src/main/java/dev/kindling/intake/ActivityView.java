package dev.kindling.intake;

import java.time.Instant;
import java.util.Map;

/**
 * An activity as the API and UI show it. {@code processedAt} is null while it waits in the intake
 * queue — once processed, the time it was processed, or for an activity attributed to its prospect at accept, the
 * time it was accepted (docs/architecture.md, "Intake pipeline"); {@code failedReason} is set when processing gave
 * up on it.
 */
public record ActivityView(
        long id,
        String externalId,
        String type,
        String customName,
        Instant occurredAt,
        Instant receivedAt,
        Long prospectId,
        String visitorId,
        Long campaignId,
        Map<String, String> properties,
        boolean bot,
        Instant processedAt,
        String failedReason) {}
