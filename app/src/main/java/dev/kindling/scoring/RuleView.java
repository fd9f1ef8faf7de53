package dev.kindling.scoring;

import java.time.Instant;

/** A scoring rule as the API and UI show it. */
public record RuleView(
        long id,
        String name,
        String activityType,
        String customName,
        String urlPattern,
        String formName,
        String assetName,
        String emailId,
        Long campaignId,
        int points,
        Integer maxPointsPerDay,
        boolean firstTimeOnly,
        String firstTimeKey,
        String category,
        Integer occurrence,
        Integer withinDays,
        Instant createdAt,
        Instant updatedAt) {}
