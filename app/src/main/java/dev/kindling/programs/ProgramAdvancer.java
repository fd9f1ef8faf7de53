package dev.kindling.programs;

import dev.kindling.conditions.ConditionNeeds;
import dev.kindling.conditions.ProspectFactsLoader;
import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.program.Advance;
import dev.kindling.engine.program.Effect;
import dev.kindling.engine.program.Enrollment;
import dev.kindling.engine.program.ProgramDefinition;
import dev.kindling.engine.program.ProgramRunner;
import dev.kindling.engine.program.Step;
import dev.kindling.engine.program.TriggerEvent;
import dev.kindling.grading.LifecycleThresholds;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Moves a batch of (locked) enrollments on with the engine's {@link ProgramRunner} and makes it so, in the
 * caller's transaction, in a fixed number of statements per batch: the prospects' facts in one load (only what the
 * batch's rule conditions read, plus list memberships), the activities of the enrollments standing at a trigger in
 * one query, then the executed-step keys claimed (a key recorded before is skipped with its effects), the step
 * entries, the new states and the actions, grouped by step.
 */
@Component
class ProgramAdvancer {

    private final Programs programs;
    private final EnrollmentRows rows;
    private final ProgramEffects effects;
    private final ProspectFactsLoader loader;
    private final LifecycleThresholds thresholds;
    private final JdbcClient jdbc;

    ProgramAdvancer(
            Programs programs,
            EnrollmentRows rows,
            ProgramEffects effects,
            ProspectFactsLoader loader,
            LifecycleThresholds thresholds,
            JdbcClient jdbc) {
        this.programs = programs;
        this.rows = rows;
        this.effects = effects;
        this.loader = loader;
        this.thresholds = thresholds;
        this.jdbc = jdbc;
    }

    ProgramRunner runner() {
        return new ProgramRunner(new ConditionEvaluator(thresholds.current()));
    }

    /** Advances every enrollment as far as it goes at {@code now}; returns how many changed. */
    int advance(List<Enrollment> batch, Instant now) {
        if (batch.isEmpty()) {
            return 0;
        }
        ProgramRunner runner = runner();
        return apply(batch, now, (definition, e) -> null, runner, true);
    }

    /**
     * Applies a decision to each enrollment and stores the outcome. {@code decide} returns the advance for an
     * enrollment, or null to let the runner advance it with its facts and trigger activities.
     */
    int apply(
            List<Enrollment> batch,
            Instant now,
            BiFunction<ProgramDefinition, Enrollment, Advance> decide,
            ProgramRunner runner,
            boolean loadFacts) {
        return store(plan(batch, now, decide, runner, loadFacts).values(), now);
    }

    /**
     * Advances those of these enrollments, read without a lock, that move, locking only them (the event path: most
     * open enrollments of the prospects an intake batch touched stand at a trigger their activities do not pass, and
     * locking each wrote its row's header and a WAL record for nothing: W1 in docs/benchmarks.md). The advances are
     * computed on the rows as read; the changing ones are then locked ({@code FOR UPDATE SKIP LOCKED}, in id order)
     * and read again: a row as read keeps its advance, a row another transaction changed and committed in between is
     * advanced again from its fresh state, a row now closed, gone or held by another transaction (a sweep advancing
     * it) is left, as locking them all left it. Returns how many changed.
     *
     * <p>Why the outcomes are those of locking them all first (READ COMMITTED; all of it is about committed states):
     * <ul>
     *   <li>A row that moves on the state read is locked as before, skipping one another transaction holds (a sweep
     *       or another intake advancing it, as before); one not held is read at its latest committed state, which
     *       is the state read (its advance stands) or a state committed since (advanced again from it), as locking
     *       all would have read and advanced it.
     *   <li>A row that does not move on the state read is left unlocked, which is the run, possible before, where
     *       another transaction held it at the lock and it was skipped. The other writers of open enrollments skip
     *       held rows (sweeps, other intakes) or decide without facts (pause, resume, remove); waiting for this
     *       transaction, they would have found the state read, which this transaction does not change.
     *   <li>Could a change another transaction commits after the read make a row judged unchanged move now, with
     *       this transaction's facts (its own activity, uncommitted)? Locking all would not have judged that change
     *       either: the other transaction holds the row from its change to its commit. If it took the row before
     *       the read, locking all (at the read) skipped it; if after, this is the run where it took the row just
     *       before, which locking all allowed as well (sweeps and other intakes take rows as they come), and then
     *       skipped it. Either way the row is judged with this transaction's facts by the next evaluation (an
     *       activity, a list change, the due sweep), on the state then committed.
     * </ul>
     */
    int advanceChanging(List<Enrollment> read, Instant now) {
        if (read.isEmpty()) {
            return 0;
        }
        ProgramRunner runner = runner();
        Map<Long, Planned> planned = plan(read, now, (d, e) -> null, runner, true);
        if (planned.isEmpty()) {
            return 0;
        }
        List<Enrollment> locked = rows.lockOpen(planned.keySet().toArray(Long[]::new));
        List<Planned> kept = new ArrayList<>();
        List<Enrollment> moved = new ArrayList<>();
        Set<Long> taken = new java.util.HashSet<>();
        for (Enrollment fresh : locked) {
            taken.add(fresh.id());
            Planned p = planned.get(fresh.id());
            if (p.before().equals(fresh)) {
                kept.add(p);
            } else {
                moved.add(fresh);
            }
        }
        // a row left (held by a sweep, closed meanwhile) was not evaluated here: a later round may read it again,
        // as one skipped by locking all was read again
        Set<Long> settled = settledHere();
        if (settled != null) {
            planned.keySet().stream().filter(id -> !taken.contains(id)).forEach(settled::remove);
        }
        if (!moved.isEmpty()) {
            // the rare case: facts and trigger activities read again for the fresh rows (they may stand elsewhere)
            kept.addAll(plan(moved, now, (d, e) -> null, runner, true).values());
            kept.sort(java.util.Comparator.comparingLong(p -> p.before().id()));
        }
        return store(kept, now);
    }

    /** An enrollment's computed advance, with the enrollment it starts from and its program's definition. */
    private record Planned(ProgramDefinition definition, Enrollment before, Advance advance) {}

    /**
     * The advances of a batch, computed in memory, nothing written: those that change their enrollment or have
     * effects, by enrollment id in the batch's order. Marks the batch's enrollments of programs without lists as
     * settled in the transaction ({@link #settledHere}).
     */
    private Map<Long, Planned> plan(
            List<Enrollment> batch,
            Instant now,
            BiFunction<ProgramDefinition, Enrollment, Advance> decide,
            ProgramRunner runner,
            boolean loadFacts) {
        Map<Long, ProgramDefinition> definitions = new HashMap<>();
        List<Condition> conditions = new ArrayList<>();
        Map<Version, ProgramDefinition> byVersion = new HashMap<>();
        for (Enrollment e : batch) {
            ProgramDefinition d = byVersion.computeIfAbsent(new Version(e.programId(), e.version()), k -> {
                ProgramDefinition def = programs.definition(e.programId(), e.version());
                def.steps().forEach(s -> {
                    if (s instanceof Step.RuleStep r) {
                        conditions.add(r.condition());
                    }
                });
                return def;
            });
            definitions.put(e.id(), d);
        }
        // memberships only when a program of the batch has recipient or suppression lists (the runner pauses and
        // resumes by them); rule conditions that read lists ask for them themselves
        boolean lists = byVersion.values().stream()
                .anyMatch(d -> !d.recipientListIds().isEmpty()
                        || !d.suppressionListIds().isEmpty());
        ConditionNeeds needs =
                lists ? ConditionNeeds.of(conditions).plus(ConditionNeeds.LISTS) : ConditionNeeds.of(conditions);
        // the runner reads a prospect's fields only for rule conditions and a send's consent (opted out, hard bounced,
        // do not email): a batch whose programs have neither reads the prospects' rows without their fields (W5)
        boolean fields = !conditions.isEmpty()
                || byVersion.values().stream()
                        .anyMatch(d -> d.steps().stream()
                                .anyMatch(s -> s instanceof Step.ActionStep a
                                        && a.action() instanceof dev.kindling.engine.automation.Action.SendEmail));
        List<Long> prospectIds = batch.stream().map(Enrollment::prospectId).toList();
        Map<Long, ProspectFacts> facts = !loadFacts
                ? Map.of()
                : fields ? loader.load(prospectIds, needs, now) : loader.loadWithoutFields(prospectIds, needs, now);
        Map<Long, List<Activity>> triggerActivities = loadFacts ? triggerActivities(batch, definitions) : Map.of();

        Map<Long, Planned> planned = new LinkedHashMap<>();
        Set<Long> settled = settledHere();
        for (Enrollment e : batch) {
            ProgramDefinition d = definitions.get(e.id());
            if (settled != null
                    && d.recipientListIds().isEmpty()
                    && d.suppressionListIds().isEmpty()) {
                settled.add(e.id());
            }
            Advance advance = decide.apply(d, e);
            if (advance == null) {
                ProspectFacts f = facts.get(e.prospectId());
                if (f == null) {
                    continue; // the prospect is gone (its enrollments go with it)
                }
                advance = runner.advance(d, e, f, triggerActivities.getOrDefault(e.id(), List.of()), now);
            }
            if (!advance.enrollment().equals(e) || !advance.effects().isEmpty()) {
                planned.put(e.id(), new Planned(d, e, advance));
            }
        }
        return planned;
    }

    /** A step's visit within one enrollment's advance, as the entered and executed effects name it. */
    private static String visitOf(String stepId, int visit) {
        return stepId + ":" + visit;
    }

    /**
     * Stores computed advances of locked enrollments: the executed-step keys claimed (a key recorded before is skipped
     * with its effects; a step entered in the same advance is marked on its run), the entries of steps entered and not
     * executed, the new states, the actions run and their outcomes. Returns how many.
     */
    private int store(java.util.Collection<Planned> planned, Instant now) {
        List<Enrollment> changed = new ArrayList<>();
        Map<Long, String> reasons = new HashMap<>();
        List<EnrollmentRows.Run> runs = new ArrayList<>();
        List<Long> entryEnrollments = new ArrayList<>();
        List<Long> entryPrograms = new ArrayList<>();
        List<Effect.StepEntered> entries = new ArrayList<>();
        Map<String, ProgramEffects.Pending> actions = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (Planned p : planned) {
            Enrollment e = p.before();
            ProgramDefinition d = p.definition();
            Advance advance = p.advance();
            changed.add(advance.enrollment());
            // a step entered and executed in the same advance (an ACTION, a RULE, an END) is recorded once: its run
            // row says it was entered too, and no entry row is written (the report counts both)
            Set<String> executedHere = new java.util.HashSet<>();
            for (Effect effect : advance.effects()) {
                if (effect instanceof Effect.StepExecuted executed) {
                    executedHere.add(visitOf(executed.stepId(), executed.visit()));
                }
            }
            Set<String> enteredHere = new java.util.HashSet<>();
            for (Effect effect : advance.effects()) {
                switch (effect) {
                    case Effect.StepEntered entered -> {
                        String visit = visitOf(entered.stepId(), entered.visit());
                        if (executedHere.contains(visit)) {
                            enteredHere.add(visit);
                        } else {
                            entryEnrollments.add(e.id());
                            entryPrograms.add(e.programId());
                            entries.add(entered);
                        }
                    }
                    case Effect.ActionEmitted emitted ->
                        actions.put(
                                emitted.key(),
                                new ProgramEffects.Pending(
                                        emitted.key(), d, emitted.stepId(), emitted.action(), e.prospectId()));
                    case Effect.SendSkipped skip ->
                        skipped.put(skip.key(), "SKIPPED:" + skip.reason().name());
                    case Effect.StepExecuted executed ->
                        runs.add(new EnrollmentRows.Run(
                                executed.key(),
                                e.id(),
                                e.programId(),
                                e.version(),
                                executed.stepId(),
                                executed.visit(),
                                executed.passed().name(),
                                executed.at(),
                                enteredHere.contains(visitOf(executed.stepId(), executed.visit()))));
                    case Effect.StatusChanged status -> {
                        if (status.to().isFinished()) {
                            reasons.put(e.id(), status.reason());
                        }
                    }
                }
            }
        }
        // outcomes known before executing (skipped sends, every action but a send) are written with the key: a
        // fresh key's action runs in this transaction, so it saves updating the rows just inserted
        Map<String, String> known = new HashMap<>(skipped);
        actions.forEach((key, pending) -> {
            if (ProgramEffects.knownOutcome(pending.action()) != null) {
                known.put(key, ProgramEffects.knownOutcome(pending.action()));
            }
        });
        Set<String> fresh = rows.claim(runs, known);
        actions.keySet().retainAll(fresh);
        rows.entered(entryEnrollments, entryPrograms, entries);
        rows.update(changed, reasons, now);
        Map<String, Long> messages = new HashMap<>();
        Map<String, String> outcomes = new LinkedHashMap<>(effects.execute(List.copyOf(actions.values()), messages));
        outcomes.keySet().removeAll(known.keySet());
        rows.outcomes(outcomes, messages);
        return changed.size();
    }

    /** A program's version, the key of its definition (a text key was built per enrollment). */
    private record Version(long programId, int version) {}

    /**
     * The enrollments advanced in the current transaction that a later advance in it cannot change: their program
     * has no recipient or suppression lists, so whatever the transaction's own actions and the watchers' rounds do to
     * the prospect, the runner would not pause or resume them, and they already stand as far as they go (rule steps
     * are passed on the spot; triggers wait for activities, which a program's actions do not create). The program
     * watcher leaves them out of its re-check after the batch's own score or list changes. Null outside a transaction.
     */
    Set<Long> settledHere() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Set<Long> settled = (Set<Long>) TransactionSynchronizationManager.getResource(this);
        if (settled == null) {
            Set<Long> created = new java.util.HashSet<>();
            settled = created;
            TransactionSynchronizationManager.bindResource(this, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(ProgramAdvancer.this);
                }
            });
        }
        return settled;
    }

    /**
     * The activities that may pass the triggers the batch stands at: of the trigger's types, not from bots, after
     * the step was entered, with the properties triggers read. One query for the whole batch.
     */
    private Map<Long, List<Activity>> triggerActivities(List<Enrollment> batch, Map<Long, ProgramDefinition> defs) {
        List<Enrollment> atTrigger = new ArrayList<>();
        Set<ActivityType> types = EnumSet.noneOf(ActivityType.class);
        for (Enrollment e : batch) {
            if (e.status() == Enrollment.Status.ACTIVE
                    && defs.get(e.id()).step(e.stepId()) instanceof Step.TriggerStep t) {
                atTrigger.add(e);
                types.add(type(t.event()));
            }
        }
        Map<Long, List<Activity>> activities = new HashMap<>();
        if (atTrigger.isEmpty()) {
            return activities;
        }
        jdbc.sql("""
                        SELECT u.enrollment_id, x.id, x.type, x.custom_name, x.occurred_at, x.campaign_id,
                               x.properties ->> 'templateId' AS template_id, x.properties ->> 'emailId' AS email_id,
                               x.properties ->> 'linkUrl' AS link_url, x.properties ->> 'url' AS url,
                               x.properties ->> 'formId' AS form_id, x.properties ->> 'formName' AS form_name,
                               x.properties ->> 'webinarId' AS webinar_id, x.properties ->> 'assetName' AS asset_name
                          FROM unnest(CAST(:enrollments AS bigint[]), CAST(:prospects AS bigint[]),
                                      CAST(:since AS timestamptz[])) AS u(enrollment_id, prospect_id, since)
                          JOIN activity x ON x.prospect_id = u.prospect_id AND x.occurred_at > u.since
                         WHERE x.type = ANY(:types) AND NOT x.bot
                           -- implied by the join, but a scalar: the history's months before the earliest step entry
                           -- are pruned when the statement starts; without it the planner, which cannot prune by a
                           -- joined column, read every month's activities of the types (W1 in docs/benchmarks.md)
                           AND x.occurred_at > :earliest
                         ORDER BY u.enrollment_id, x.occurred_at, x.id""")
                .param("enrollments", atTrigger.stream().map(Enrollment::id).toArray(Long[]::new))
                .param(
                        "prospects",
                        atTrigger.stream().map(Enrollment::prospectId).toArray(Long[]::new))
                .param(
                        "since",
                        atTrigger.stream()
                                .map(e -> Timestamp.from(e.enteredAt()))
                                .toArray(Timestamp[]::new))
                .param("types", types.stream().map(Enum::name).toArray(String[]::new))
                .param(
                        "earliest",
                        Timestamp.from(atTrigger.stream()
                                .map(Enrollment::enteredAt)
                                .min(Instant::compareTo)
                                .orElseThrow()))
                .query((ResultSet rs) -> {
                    Map<String, String> properties = new HashMap<>();
                    for (String[] p : new String[][] {
                        {"templateId", "template_id"},
                        {"emailId", "email_id"},
                        {"linkUrl", "link_url"},
                        {"url", "url"},
                        {"formId", "form_id"},
                        {"formName", "form_name"},
                        {"webinarId", "webinar_id"},
                        {"assetName", "asset_name"}
                    }) {
                        String v = rs.getString(p[1]);
                        if (v != null) {
                            properties.put(p[0], v);
                        }
                    }
                    activities
                            .computeIfAbsent(rs.getLong("enrollment_id"), k -> new ArrayList<>())
                            .add(new Activity(
                                    rs.getLong("id"),
                                    ActivityType.valueOf(rs.getString("type")),
                                    rs.getString("custom_name"),
                                    rs.getTimestamp("occurred_at").toInstant(),
                                    (Long) rs.getObject("campaign_id"),
                                    properties,
                                    false));
                });
        return activities;
    }

    private static ActivityType type(TriggerEvent event) {
        return switch (event) {
            case TriggerEvent.EmailOpened o -> ActivityType.EMAIL_OPEN;
            case TriggerEvent.EmailClicked c -> ActivityType.EMAIL_CLICK;
            case TriggerEvent.FormSubmitted f -> ActivityType.FORM_SUBMIT;
            case TriggerEvent.PageViewed p -> ActivityType.PAGE_VIEW;
            case TriggerEvent.WebinarAttended w -> ActivityType.WEBINAR_ATTENDED;
        };
    }
}
