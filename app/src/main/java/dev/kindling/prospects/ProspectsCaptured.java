package dev.kindling.prospects;

import java.time.Instant;
import java.util.Map;

/**
 * Published inside the creating transaction, before {@link ProspectsChanged}, when prospects were created: each
 * with the instant it was captured and the cause. The lifecycle records their first transition (→ CAPTURED) and
 * first stage reached from it, synchronously.
 */
public record ProspectsCaptured(Map<Long, Instant> capturedAt, String cause) {

    public ProspectsCaptured {
        capturedAt = Map.copyOf(capturedAt);
    }
}
