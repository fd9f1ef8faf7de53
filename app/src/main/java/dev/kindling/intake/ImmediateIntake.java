package dev.kindling.intake;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.intake.IntakeProcessor;
import dev.kindling.engine.intake.ProspectState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Activities that a user's action in Kindling itself produces (an opportunity created, won or lost), recorded and
 * processed at once in the caller's transaction instead of waiting in the queue: the caller's response already shows
 * their effects (the score rule applied, the transition made). They go through the very same engine steps as every
 * other activity — scoring rules, lifecycle, the last activity — and are stored like them (timeline, conditions,
 * rescoring read them), only marked processed as they are inserted, so the worker never sees them.
 *
 * <p>Idempotent by {@code externalId}: an activity recorded before is neither stored nor applied again. Lock order is
 * the worker's: the prospects' rows in id order; the new rows are never claimable (already processed).
 */
@Component
public class ImmediateIntake {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final IntakeEffects effects;
    private final IntakeProcessor processor;
    private final ApplicationEventPublisher events;
    private final ActionSummary actionSummary;

    ImmediateIntake(
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock,
            IntakeEffects effects,
            IntakeProcessor processor,
            ApplicationEventPublisher events,
            ActionSummary actionSummary) {
        this.actionSummary = actionSummary;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.effects = effects;
        this.processor = processor;
        this.events = events;
    }

    /**
     * Records these activities, each naming an existing prospect by id, and applies the new ones to their prospects.
     *
     * @return the ids of the activities stored now (duplicates of earlier ones are left out)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Long> apply(List<NewActivity> activities) {
        if (activities.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        Set<Long> campaigns = new TreeSet<>();
        for (NewActivity a : activities) {
            if (a.prospectId() == null) {
                throw new IllegalArgumentException("an immediate activity names its prospect by id");
            }
            if (a.campaignId() != null) {
                campaigns.add(a.campaignId());
            }
        }
        // The references are not foreign keys (V745, docs/scaling.md): the campaigns are locked here, before the
        // insert, and must exist; the prospects are locked below (effects.lock), and one gone fails the transaction
        References.lockAll(jdbc, References.Table.CAMPAIGN, campaigns);
        List<StoredActivity> stored = ActivityInsert.PROCESSED_RETURNING
                .statement(jdbc, now, activities)
                .query((rs, row) -> StoredActivity.read(rs, json))
                .list();
        if (stored.isEmpty()) {
            return List.of();
        }
        Map<Long, List<Activity>> byProspect = new TreeMap<>();
        List<Long> ids = new ArrayList<>();
        for (StoredActivity a : stored) {
            byProspect.computeIfAbsent(a.prospectId(), k -> new ArrayList<>()).add(a.toEngine());
            ids.add(a.id());
        }
        Map<Long, ProspectState> before = effects.lock(byProspect.keySet());
        Map<Long, IntakeProcessor.Result> results = new TreeMap<>();
        byProspect.forEach((prospect, list) -> {
            ProspectState state = before.get(prospect);
            if (state == null) {
                throw new IllegalStateException("activity names prospect " + prospect + ", which does not exist");
            }
            results.put(prospect, processor.apply(state, list, now));
        });
        effects.write(before, results, byProspect);
        actionSummary.add(byProspect);
        events.publishEvent(new ActivitiesProcessed(byProspect.keySet()));
        return List.copyOf(ids);
    }
}
