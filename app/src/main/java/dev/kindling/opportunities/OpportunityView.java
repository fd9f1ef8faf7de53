package dev.kindling.opportunities;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * An opportunity as the API and the pages show it, with its contact roles (primary first). {@code source} is null for
 * Kindling's own and names the CRM ({@code salesforce}) that owns a synced one, which Kindling does not edit.
 */
public record OpportunityView(
        long id,
        String name,
        Long accountId,
        String accountName,
        BigDecimal amount,
        String currency,
        String stage,
        OpportunityStatus status,
        Integer probability,
        String type,
        String lostReason,
        Long primaryCampaignId,
        LocalDate closeDate,
        Instant createdAt,
        Instant updatedAt,
        Instant closedAt,
        String createdBy,
        String closedBy,
        String source,
        List<Contact> contactRoles) {

    /** A prospect on the opportunity. */
    public record Contact(long prospectId, String email, String name, String role, boolean primary) {}

    /** Whether Kindling may edit it (it is not a CRM's). */
    public boolean editable() {
        return source == null;
    }

    /** Whether it is still open (may be won, lost, and get contact roles). */
    public boolean open() {
        return status.isOpen();
    }
}
