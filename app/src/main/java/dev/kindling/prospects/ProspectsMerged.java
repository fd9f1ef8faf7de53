package dev.kindling.prospects;

import java.time.Instant;
import java.util.Map;

/**
 * Published inside the merging transaction after two prospects were merged: the survivor as it was, the loser as it
 * was (its id now redirects to the survivor) and the survivor as it is now, who merged them (a user, an API key, or
 * {@code visitor:<id>} for an automatic merge) and which side each field was taken from.
 */
public record ProspectsMerged(
        ProspectView survivorBefore,
        ProspectView loserBefore,
        ProspectView after,
        String actor,
        boolean automatic,
        Map<String, ProspectMerges.Side> fields,
        Instant at) {

    public ProspectsMerged {
        fields = Map.copyOf(fields);
    }
}
