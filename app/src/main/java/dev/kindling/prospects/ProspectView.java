package dev.kindling.prospects;

import java.time.Instant;
import java.util.Map;

/** A prospect as the API and UI show it: fields, derived state and flags. */
public record ProspectView(
        long id,
        String email,
        String firstName,
        String lastName,
        String company,
        String jobTitle,
        String department,
        String industry,
        Integer employees,
        String country,
        String phone,
        String website,
        String source,
        Map<String, Object> custom,
        Long accountId,
        Long campaignId,
        Long ownerId,
        int score,
        String grade,
        String stage,
        boolean optedOut,
        boolean hardBounced,
        boolean doNotEmail,
        Instant lastActivityAt,
        Instant capturedAt,
        Instant createdAt,
        Instant updatedAt,
        int stars,
        int flames,
        String quadrant) {

    /** This view with its derived signals filled in. */
    public ProspectView withSignals(ProspectSignals.Signals s) {
        return new ProspectView(
                id,
                email,
                firstName,
                lastName,
                company,
                jobTitle,
                department,
                industry,
                employees,
                country,
                phone,
                website,
                source,
                custom,
                accountId,
                campaignId,
                ownerId,
                score,
                grade,
                stage,
                optedOut,
                hardBounced,
                doNotEmail,
                lastActivityAt,
                capturedAt,
                createdAt,
                updatedAt,
                s.stars(),
                s.flames(),
                s.quadrant());
    }

    public String displayName() {
        String name = ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).strip();
        return name.isEmpty() ? email : name;
    }
}
