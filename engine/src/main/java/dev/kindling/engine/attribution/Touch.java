package dev.kindling.engine.attribution;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/** One campaign touch of a contact of an opportunity: which campaign, when, and whose. */
public record Touch(long campaignId, Instant at, long prospectId) {

    /** Time order; same-instant touches by campaign, then prospect, so every ordering is deterministic. */
    public static final Comparator<Touch> ORDER =
            Comparator.comparing(Touch::at).thenComparingLong(Touch::campaignId).thenComparingLong(Touch::prospectId);

    public Touch {
        Objects.requireNonNull(at, "at");
    }
}
