package dev.kindling.intake;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.intake.IntakeProcessor;
import dev.kindling.engine.intake.ProspectState;
import dev.kindling.platform.database.PlannedPerCall;
import dev.kindling.prospects.Prospects;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * One unit of intake work, in one transaction: claim queued activities ({@code activity_queue}), resolve their subjects
 * (emails to prospects, created when missing; visitors to the prospect they are linked to), run
 * each prospect's activities through the engine, write the results, and take the activities out of
 * the queue, marking processed those not attributed at accept. Because that commits with the effects, an activity is
 * processed exactly once, whatever crashes when.
 */
@Component
class IntakeBatch {

    static final String CAPTURE_CAUSE = "activity";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final Prospects prospects;
    private final Visitors visitors;
    private final IntakeEffects effects;
    private final IntakeProcessor processor;
    private final ActionSummary actionSummary;
    private final org.springframework.context.ApplicationEventPublisher events;
    /** The claimed activities' read, planned with its values every call (they decide the partitions read). */
    private final JdbcClient plannedPerCall;

    IntakeBatch(
            JdbcClient jdbc,
            DataSource dataSource,
            PlatformTransactionManager transactions,
            JsonMapper json,
            Clock clock,
            Prospects prospects,
            Visitors visitors,
            IntakeEffects effects,
            IntakeProcessor processor,
            ActionSummary actionSummary,
            org.springframework.context.ApplicationEventPublisher events) {
        this.events = events;
        this.actionSummary = actionSummary;
        this.jdbc = jdbc;
        this.plannedPerCall = PlannedPerCall.client(dataSource);
        this.tx = new TransactionTemplate(transactions);
        this.json = json;
        this.clock = clock;
        this.prospects = prospects;
        this.visitors = visitors;
        this.effects = effects;
        this.processor = processor;
    }

    /**
     * Processes up to {@code limit} of the oldest pending activities that no other processor holds.
     * The ids claimed are put in {@code claimed} as soon as they are known, so that a caller can
     * tell which activities a failed batch held.
     *
     * @param lane  the share of the queue this processor takes ({@link IntakeLane})
     * @return how many activities were processed (0: nothing was pending)
     */
    int processNext(int limit, List<Long> claimed, IntakeLane lane) {
        claimed.clear();
        Integer n = tx.execute(status -> {
            // The claim must walk the queue's primary key in id order and stop after `limit` rows. The planner
            // estimates the queue from statistics taken when it was short; under a backlog it then picks a bitmap
            // scan of the whole queue plus a sort, so every batch read every queued row (measured on the partial index
            // of activity this replaced: 60 ms per claim at 130,000 pending, seconds per run). A bitmap scan also never
            // marks the index entries of deleted rows dead, which an ordered index scan does. Both switches are reset
            // right after the claim to what they were (set_config's `true`: they would end with the transaction).
            String[] planner = jdbc.sql("""
                            SELECT current_setting('enable_bitmapscan') AS bitmap, current_setting('enable_sort') AS sort,
                                   set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)""")
                    .query((rs, row) -> new String[] {rs.getString("bitmap"), rs.getString("sort")})
                    .single();
            List<Long> ids = new ArrayList<>();
            List<Instant> times = new ArrayList<>();
            jdbc.sql("""
                            SELECT activity_id, occurred_at
                              FROM activity_queue
                             WHERE LANE
                             ORDER BY activity_id
                             LIMIT :limit
                               FOR UPDATE SKIP LOCKED""".replace("LANE", lane.condition()))
                    .param("limit", limit)
                    .query((rs, row) -> {
                        ids.add(rs.getLong(1));
                        times.add(rs.getObject(2, OffsetDateTime.class).toInstant()); // no Calendar, as StoredActivity
                        return null;
                    })
                    .list();
            jdbc.sql("SELECT set_config('enable_bitmapscan', :bitmap, true), set_config('enable_sort', :sort, true)")
                    .param("bitmap", planner[0])
                    .param("sort", planner[1])
                    .query((rs, row) -> 0)
                    .list();
            claimed.addAll(ids);
            List<StoredActivity> batch = read(ids, times);
            process(ids, batch);
            return ids.size();
        });
        return n == null ? 0 : n;
    }

    /** Processes one activity on its own, if it is still queued and nobody holds it. */
    boolean processOne(long id) {
        Boolean done = tx.execute(status -> {
            List<Instant> time = jdbc.sql("""
                            SELECT occurred_at FROM activity_queue WHERE activity_id = :id FOR UPDATE SKIP LOCKED""")
                    .param("id", id)
                    .query((rs, row) -> rs.getTimestamp(1).toInstant())
                    .list();
            if (time.isEmpty()) {
                return false;
            }
            process(List.of(id), read(List.of(id), time));
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    /** Takes an activity that cannot be processed out of the queue, keeping the reason. */
    void markFailed(long id, String reason) {
        tx.executeWithoutResult(status -> jdbc.sql("""
                        WITH gone AS (DELETE FROM activity_queue WHERE activity_id = :id RETURNING activity_id, occurred_at)
                        UPDATE activity SET processed_at = :now, failed_reason = :reason
                          FROM gone
                         WHERE activity.id = gone.activity_id AND activity.occurred_at = gone.occurred_at""")
                .param("now", Timestamp.from(clock.instant()))
                .param("reason", reason)
                .param("id", id)
                .update());
    }

    /**
     * The claimed activities, in id order, read by their key: only the partitions of the months they occurred in
     * (activity is partitioned by month). A queued id whose activity is gone (its month dropped by the retention)
     * reads as nothing, and its queue row is deleted with the others'. Planned with its values at every call: the
     * generic plan prunes only at run time and took 31.8–101.7 ms a call against 4.0–4.9 ms (W1 S, docs/benchmarks.md,
     * "W1: reads planned per call").
     * The ids come through a scalar sub-select (an init plan, evaluated once), as in the conditions' activities read
     * ({@code ProspectFactsLoader}): as a constant array the planner estimated each of the batch's ~2,000 ids in each
     * month partition the bounds leave, 3.5–4.5 ms of planning a call beside 6–8 ms of execution; 0.7–0.9 ms through
     * the sub-select, the execution no slower (W1 at S, issue 16).
     */
    private List<StoredActivity> read(List<Long> ids, List<Instant> times) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Instant first = times.stream().min(Instant::compareTo).orElseThrow();
        Instant last = times.stream().max(Instant::compareTo).orElseThrow();
        return plannedPerCall
                .sql("SELECT " + StoredActivity.COLUMNS + """
                         FROM activity
                        WHERE id = ANY(CAST((SELECT CAST(:ids AS bigint[])) AS bigint[]))
                          AND occurred_at BETWEEN :first AND :last
                        ORDER BY id""")
                .param("ids", ids.toArray(Long[]::new))
                .param("first", Timestamp.from(first))
                .param("last", Timestamp.from(last))
                .query((rs, row) -> StoredActivity.read(rs, json))
                .list();
    }

    private void process(List<Long> claimedIds, List<StoredActivity> batch) {
        if (claimedIds.isEmpty()) {
            return;
        }
        if (batch.isEmpty()) {
            dequeue(claimedIds);
            return;
        }
        Instant now = clock.instant();

        // a prospect first seen through activities is captured when the earliest of them happened
        Map<String, Instant> emails = new TreeMap<>();
        Instant earliest = now;
        Instant latest = batch.getFirst().occurredAt();
        Map<String, Instant[]> visitorsSeen = new HashMap<>();
        for (StoredActivity a : batch) {
            earliest = min(earliest, a.occurredAt());
            latest = max(latest, a.occurredAt());
            if (a.prospectId() == null && a.email() != null) {
                emails.merge(a.email(), min(a.occurredAt(), now), IntakeBatch::min);
            }
            if (a.visitorId() != null) {
                visitorsSeen.merge(a.visitorId(), new Instant[] {a.occurredAt(), a.occurredAt()}, (x, y) ->
                        new Instant[] {min(x[0], y[0]), max(x[1], y[1])});
            }
        }
        Map<String, Long> byEmail = emails.isEmpty() ? Map.of() : prospects.ensureExist(emails, CAPTURE_CAUSE, now);
        Map<String, Long> byVisitor = visitors.seen(visitorsSeen);

        int n = batch.size();
        List<Long> marked = new ArrayList<>(); // those whose row is written: not attributed at accept
        List<Long> attributed = new ArrayList<>();
        Map<Long, List<Activity>> byProspect = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            StoredActivity a = batch.get(i);
            Long prospect = a.prospectId();
            if (prospect == null && a.email() != null) {
                prospect = byEmail.get(a.email());
            }
            if (prospect == null && a.visitorId() != null) {
                prospect = byVisitor.get(a.visitorId());
            }
            if (!a.processed()) {
                marked.add(a.id());
                attributed.add(prospect);
            }
            if (prospect != null) {
                byProspect.computeIfAbsent(prospect, k -> new ArrayList<>()).add(a.toEngine());
            } else {
                a.toEngine(); // an anonymous activity must still be one the engine can read later
            }
        }

        Map<Long, ProspectState> before = effects.lock(byProspect.keySet(), earliest, now);
        Map<Long, IntakeProcessor.Result> results = new TreeMap<>();
        List<Long> due = new ArrayList<>();
        byProspect.forEach((prospect, activities) -> {
            ProspectState state = before.get(prospect);
            if (state == null) {
                throw new IllegalStateException("activity names prospect " + prospect + ", which does not exist");
            }
            IntakeProcessor.Result result = processor.applyUnsettled(state, activities, now);
            Instant decayAt = result.state().score().nextDecayAt();
            if (decayAt != null && !decayAt.isAfter(now)) {
                due.add(prospect);
            }
            results.put(prospect, result);
        });
        // history on its own timeline: decay up to now waits while more of a prospect's activities are queued
        Set<Long> waiting = stillQueued(due, batch, byEmail);
        results.replaceAll((prospect, result) -> waiting.contains(prospect) ? result : processor.settle(result, now));
        effects.write(before, results, byProspect);

        // out of the queue, and marked processed (with the prospect the activity was attributed to), in one statement.
        // An activity attributed at accept (ActivityIntake) was stored with its prospect and processed_at: leaving the
        // queue is all it needs, and its row is not written again. The mark was a non-HOT update of every row (a new
        // version and an entry in every index of activity, ~20 buffers an activity: docs/benchmarks.md); the
        // statement stays one per batch, marking only the others (none when all were attributed at accept). The
        // prospects it names are the batch's, locked above (effects.lock); activity.prospect_id has no foreign key.
        jdbc.sql("""
                        WITH gone AS (DELETE FROM activity_queue WHERE activity_id = ANY(:claimed))
                        UPDATE activity a
                           SET processed_at = :now, prospect_id = u.prospect_id
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:prospects AS bigint[])) AS u(id, prospect_id)
                         WHERE a.id = u.id AND a.id = ANY(:ids) AND a.occurred_at BETWEEN :first AND :last
                           -- ids also as ANY: an index scan of the ids; the join alone hashed the whole table.
                           -- occurred_at: only the partitions of the batch's months are read""")
                .param("claimed", claimedIds.toArray(Long[]::new))
                .param("now", Timestamp.from(now))
                .param("ids", marked.toArray(Long[]::new))
                .param("first", Timestamp.from(earliest))
                .param("last", Timestamp.from(latest))
                .param("prospects", attributed.toArray(Long[]::new))
                .update();
        actionSummary.add(byProspect); // the closed loop's summary reads the batch's rows as processed
        // conditions count every stored activity: the processed prospects are re-evaluated before this commits
        events.publishEvent(new ActivitiesProcessed(byProspect.keySet()));
    }

    private void dequeue(List<Long> claimedIds) {
        jdbc.sql("DELETE FROM activity_queue WHERE activity_id = ANY(:claimed)")
                .param("claimed", claimedIds.toArray(Long[]::new))
                .update();
    }

    /**
     * Which of these prospects have activities in the queue besides the batch's own: their pending rows — naming them
     * by id, or only by their email (not attributed yet) — counted in grouped queries, less the batch's rows counted
     * the same way ({@code byEmail}: the batch's emails resolved).
     */
    private Set<Long> stillQueued(List<Long> prospects, List<StoredActivity> batch, Map<String, Long> byEmail) {
        if (prospects.isEmpty()) {
            return Set.of();
        }
        Map<Long, Integer> inBatch = new HashMap<>();
        for (StoredActivity a : batch) {
            Long named = a.prospectId() != null ? a.prospectId() : a.email() != null ? byEmail.get(a.email()) : null;
            if (named != null) {
                inBatch.merge(named, 1, Integer::sum);
            }
        }
        Set<Long> queued = new HashSet<>();
        // The prospects' queued rows naming them by id, and those naming them only by their email, counted in two
        // grouped statements over the queue's indexes (activity_queue_prospect_idx, activity_queue_email_idx) with the
        // prospects and emails as arrays, not a probe per prospect. As a join, with statistics taken while the queue
        // was short, the planner read the whole queue per batch (~44,000 buffers a call in W1, docs/benchmarks.md).
        Long[] ids = prospects.toArray(Long[]::new);
        Map<Long, Long> pending = new HashMap<>();
        jdbc.sql("""
                        SELECT prospect_id, count(*) FROM activity_queue
                         WHERE prospect_id = ANY(:prospects)
                         GROUP BY prospect_id""")
                .param("prospects", ids)
                .query((rs, n) -> pending.merge(rs.getLong(1), rs.getLong(2), Long::sum))
                .list();
        Map<String, Long> byItsEmail = new HashMap<>();
        jdbc.sql("SELECT id, email FROM prospect WHERE id = ANY(:prospects) AND email IS NOT NULL")
                .param("prospects", ids)
                .query((rs, n) -> byItsEmail.put(rs.getString(2), rs.getLong(1)))
                .list();
        if (!byItsEmail.isEmpty()) {
            jdbc.sql("""
                            SELECT email, count(*) FROM activity_queue
                             WHERE email = ANY(:emails) AND prospect_id IS NULL
                             GROUP BY email""")
                    .param("emails", byItsEmail.keySet().toArray(String[]::new))
                    .query((rs, n) -> pending.merge(byItsEmail.get(rs.getString(1)), rs.getLong(2), Long::sum))
                    .list();
        }
        pending.forEach((prospect, count) -> {
            if (count > inBatch.getOrDefault(prospect, 0)) {
                queued.add(prospect);
            }
        });
        return queued;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
