package dev.kindling.opportunities;

import java.time.Instant;

/**
 * An opportunity as a CRM has it, for {@link Opportunities#sync}: its values, its status (from the CRM's closed and
 * won flags, never from stage names), and the CRM's creation and close times, which its effects take as their times.
 *
 * @param source   the CRM that owns it ({@code salesforce})
 * @param closedAt when it was closed (ignored while open)
 */
public record SyncedOpportunity(
        String source, NewOpportunity values, OpportunityStatus status, Instant createdAt, Instant closedAt) {}
