package dev.kindling.intake;

import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ProspectMerges;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accepts a batch of activities: one transaction, one statement inserting them (and their keys and queue rows),
 * idempotent by {@code externalId}. When this returns, the batch is durable (synchronous commit) and will be
 * processed exactly once. A batch naming a prospect or campaign that does not exist is refused
 * whole, with every such item listed.
 */
@Component
public class ActivityIntake {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final ProspectMerges merges;

    ActivityIntake(JdbcClient jdbc, Clock clock, ApplicationEventPublisher events, ProspectMerges merges) {
        this.merges = merges;
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
    }

    /** How many activities were new, and how many had been accepted before (same externalId). */
    public record Accepted(int accepted, int duplicates) {}

    @Transactional
    public Accepted accept(List<NewActivity> batch) {
        if (batch.isEmpty()) {
            return new Accepted(0, 0);
        }
        batch = aboutSurvivors(batch);
        checkReferences(batch);
        batch = attributed(batch);
        // only the rows whose key is new are stored, each queued for the intake worker in the same statement; those
        // naming their prospect (by id, or attributed() by email) stored processed (ActivityInsert.QUEUED)
        int inserted =
                ActivityInsert.QUEUED.statement(jdbc, clock.instant(), batch).update();
        if (inserted > 0) {
            Set<Long> prospects = new HashSet<>();
            batch.forEach(a -> {
                if (a.prospectId() != null) {
                    prospects.add(a.prospectId());
                }
            });
            events.publishEvent(new ActivitiesAccepted(inserted, prospects));
        }
        return new Accepted(inserted, batch.size() - inserted);
    }

    /**
     * Attribution at accept: an activity naming no prospect but the email of an existing one is about that prospect
     * from now on, as processing would have resolved it (the same exact match on {@code prospect.email}). The
     * prospects named (by id or so resolved) are locked {@code FOR KEY SHARE} in id order before the insert, whose
     * foreign key checks would otherwise take the same locks row by row in the batch's order: a merge or an erasure
     * of one of them waits for this transaction and then sees its activities (and moves or scrubs them), or has
     * happened already, in which case its old email no longer matches and the activity is left to processing (a
     * merged-away email then resolves to the survivor, an erased one to nobody). Emails without a prospect are
     * resolved when processed, where the prospect is created.
     *
     * <p>The lock is what guarantees the activities' reference: {@code activity.prospect_id} is not a foreign key
     * (V745, docs/scaling.md), so a prospect named by id that is gone by the time it is locked (merged or deleted since
     * {@link #checkReferences}) refuses the batch here, as the foreign key's check of the insert refused it.
     */
    private List<NewActivity> attributed(List<NewActivity> batch) {
        Set<Long> ids = new HashSet<>();
        Set<String> emails = new HashSet<>();
        for (NewActivity a : batch) {
            if (a.prospectId() != null) {
                ids.add(a.prospectId());
            } else if (a.email() != null) {
                emails.add(a.email());
            }
        }
        if (ids.isEmpty() && emails.isEmpty()) {
            return batch;
        }
        Map<String, Long> byEmail = new HashMap<>();
        Set<Long> locked = new HashSet<>();
        jdbc.sql("""
                        SELECT id, email FROM prospect
                         WHERE id = ANY(:ids) OR email = ANY(:emails)
                         ORDER BY id
                           FOR KEY SHARE""")
                .param("ids", ids.toArray(Long[]::new))
                .param("emails", emails.toArray(String[]::new))
                .query((rs, row) -> {
                    locked.add(rs.getLong(1));
                    String email = rs.getString(2);
                    if (email != null && emails.contains(email)) {
                        byEmail.put(email, rs.getLong(1));
                    }
                    return null;
                })
                .list();
        if (!locked.containsAll(ids)) {
            List<FieldError> errors = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Long named = batch.get(i).prospectId();
                if (named != null && !locked.contains(named)) {
                    errors.add(new FieldError("activities[" + i + "].prospectId", "names no prospect"));
                }
            }
            throw new InvalidInputException(errors);
        }
        if (byEmail.isEmpty()) {
            return batch;
        }
        return batch.stream()
                .map(a -> a.prospectId() == null && a.email() != null && byEmail.containsKey(a.email())
                        ? a.about(byEmail.get(a.email()))
                        : a)
                .toList();
    }

    /**
     * Stores activities of anonymous visitors as intake would leave them, in the caller's transaction: processed, with
     * no queue row. Intake does nothing with the activity of a visitor linked to no prospect but mark it processed, so
     * the page views of such visitors skip the queue, its claim and the processed mark (W10, docs/benchmarks.md). The
     * caller holds the visitors' rows locked (it has just upserted them, {@link Visitors#seenAll}) and found them
     * unlinked: a link waits for its commit and then attaches these activities as it attaches any processed one
     * ({@link Visitors#linkAll}). Idempotent by {@code externalId}, as {@link #accept}.
     *
     * @return how many were new
     */
    public int acceptAnonymousProcessed(List<NewActivity> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        for (NewActivity a : batch) {
            if (a.visitorId() == null || a.prospectId() != null || a.email() != null || a.campaignId() != null) {
                throw new IllegalArgumentException("not an anonymous visitor's activity: " + a.externalId());
            }
        }
        return ActivityInsert.PROCESSED.statement(jdbc, clock.instant(), batch).update();
    }

    /** An activity naming a merged prospect's old id is about the prospect it was merged into (docs/prospects.md). */
    private List<NewActivity> aboutSurvivors(List<NewActivity> batch) {
        Set<Long> named = new HashSet<>();
        batch.forEach(a -> {
            if (a.prospectId() != null) {
                named.add(a.prospectId());
            }
        });
        Map<Long, Long> survivors = merges.survivorsOf(named);
        if (survivors.isEmpty()) {
            return batch;
        }
        return batch.stream()
                .map(a -> a.prospectId() != null && survivors.containsKey(a.prospectId())
                        ? a.about(survivors.get(a.prospectId()))
                        : a)
                .toList();
    }

    /**
     * Refuses the batch if it names a prospect or campaign that does not exist, and locks the campaigns it names
     * ({@code FOR KEY SHARE}, in id order) until it commits: {@code activity.campaign_id} is not a foreign key (V745,
     * docs/scaling.md), and the lock keeps a named campaign from being deleted before the activities are stored (a
     * delete afterwards sees them and is refused). The prospects are locked by {@link #attributed}.
     */
    private void checkReferences(List<NewActivity> batch) {
        Map<Integer, NewActivity> byIndex = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byIndex.put(i, batch.get(i));
        }
        List<FieldError> errors = referenceErrors(byIndex, true);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    /**
     * An error for each item (keyed by its index in the batch) naming a prospect or campaign that
     * does not exist, so that callers can report them together with their own checks.
     */
    public List<FieldError> referenceErrors(Map<Integer, NewActivity> items) {
        return referenceErrors(items, false);
    }

    private List<FieldError> referenceErrors(Map<Integer, NewActivity> items, boolean lockCampaigns) {
        Set<Long> prospects = new HashSet<>();
        Set<Long> campaigns = new HashSet<>();
        for (NewActivity a : items.values()) {
            if (a.prospectId() != null) {
                prospects.add(a.prospectId());
            }
            if (a.campaignId() != null) {
                campaigns.add(a.campaignId());
            }
        }
        Set<Long> knownProspects =
                new HashSet<>(References.existing(jdbc, References.Table.PROSPECT, prospects, false));
        Set<Long> missing = new HashSet<>(prospects);
        missing.removeAll(knownProspects);
        // a merged prospect's old id is known: accept() records the activity on the survivor
        knownProspects.addAll(merges.survivorsOf(missing).keySet());
        Set<Long> knownCampaigns = References.existing(jdbc, References.Table.CAMPAIGN, campaigns, lockCampaigns);
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<Integer, NewActivity> e : items.entrySet()) {
            NewActivity a = e.getValue();
            if (a.prospectId() != null && !knownProspects.contains(a.prospectId())) {
                errors.add(new FieldError("activities[" + e.getKey() + "].prospectId", "names no prospect"));
            }
            if (a.campaignId() != null && !knownCampaigns.contains(a.campaignId())) {
                errors.add(new FieldError("activities[" + e.getKey() + "].campaignId", "names no campaign"));
            }
        }
        return errors;
    }
}
