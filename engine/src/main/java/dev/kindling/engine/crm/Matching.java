package dev.kindling.engine.crm;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which Salesforce record a prospect is matched to before anything is created: the stored id first (when that
 * record still exists), then by email. When several records share the email the tie-break is: a Contact before a
 * Lead (the person is further along in sales' process), then the most
 * recently modified, then the lowest id — so the same data always gives the same match.
 */
public final class Matching {

    private Matching() {}

    /** A Salesforce record found for a prospect. */
    public record Candidate(String object, String id, boolean converted, Instant lastModified) {}

    static final Comparator<Candidate> ORDER = Comparator.comparing(
                    (Candidate c) -> !c.object().equals("Contact"))
            .thenComparing(Candidate::converted)
            .thenComparing(Candidate::lastModified, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Candidate::id);

    /**
     * The record to map: the one with the stored id when it is among {@code byStoredId} (the stored id's lookup),
     * otherwise the best of {@code byEmail}; empty when there is none (then, and only then, a record may be created).
     */
    public static Optional<Candidate> choose(String storedId, List<Candidate> byStoredId, List<Candidate> byEmail) {
        if (storedId != null) {
            String id18 = SalesforceIds.to18(storedId);
            Optional<Candidate> stored = byStoredId.stream()
                    .filter(c -> c.id().equalsIgnoreCase(id18))
                    .findFirst();
            if (stored.isPresent()) {
                return stored;
            }
        }
        return byEmail.stream()
                .filter(c -> !(c.object().equals("Lead") && c.converted()))
                .min(ORDER);
    }
}
