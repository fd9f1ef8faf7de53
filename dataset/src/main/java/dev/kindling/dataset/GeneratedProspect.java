package dev.kindling.dataset;

import java.time.Instant;

/**
 * A generated prospect. {@code email} is unique within a dataset (lower case); a share of
 * prospects use a free-mail address while still naming their employer in {@code company}.
 *
 * @param accountIndex   index of the employer among the dataset's accounts
 * @param campaignIndex  first-touch campaign (index into {@link Dataset#campaigns()}), or {@code null}
 * @param capturedAt     when the prospect became known; all its activities happen at or after it
 */
public record GeneratedProspect(
        String email,
        String firstName,
        String lastName,
        String company,
        String jobTitle,
        String department,
        String industry,
        int employees,
        String country,
        String phone,
        String website,
        String source,
        int accountIndex,
        Integer campaignIndex,
        Instant capturedAt) {}
