package dev.kindling.intake;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.intake.IntakeProcessor;
import dev.kindling.engine.intake.ProspectState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Anonymous visitors (a first-party cookie id) and their link to a prospect. A visitor is
 * {@code ANONYMOUS} until linked; once linked, its activities — earlier and later — belong to
 * the prospect.
 */
@Component
public class Visitors {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final IntakeEffects effects;
    private final IntakeProcessor processor;

    private final org.springframework.context.ApplicationEventPublisher events;
    private final ActionSummary actionSummary;

    Visitors(
            JdbcClient jdbc,
            JsonMapper json,
            IntakeEffects effects,
            IntakeProcessor processor,
            org.springframework.context.ApplicationEventPublisher events,
            ActionSummary actionSummary) {
        this.actionSummary = actionSummary;
        this.events = events;
        this.jdbc = jdbc;
        this.json = json;
        this.effects = effects;
        this.processor = processor;
    }

    /** The prospect the visitor is linked to, if it is known and linked. */
    public java.util.Optional<Long> prospectOf(String visitorId) {
        return jdbc.sql("SELECT prospect_id FROM visitor WHERE id = :visitor AND prospect_id IS NOT NULL")
                .param("visitor", visitorId)
                .query(Long.class)
                .optional();
    }

    /** One page view's sight of a visitor: when, with which user agent and bot flag, and the view's UTM JSON. */
    public record Sighting(String visitorId, Instant at, String userAgent, boolean bot, String utmJson) {}

    /**
     * Records many page views' visitors in the caller's transaction with one statement, as {@link #seen} does one by
     * one: a visitor seen several times is created once, its first sight its first seen, its last its last seen,
     * user agent and bot flag, and the UTM parameters of its first sight that had any.
     *
     * @return the visitors linked to no prospect; their rows stay locked until the caller's transaction ends, so none of
     *     them is linked meanwhile ({@link #linkAll} takes the visitor rows first)
     */
    public Set<String> seenAll(List<Sighting> sightings) {
        Map<String, Sighting[]> byVisitor = new TreeMap<>(); // [first, last, first with UTM]; sorted: stable lock order
        for (Sighting s : sightings) {
            Sighting[] v = byVisitor.computeIfAbsent(s.visitorId(), id -> new Sighting[] {s, s, null});
            if (s.at().isBefore(v[0].at())) {
                v[0] = s;
            }
            if (!s.at().isBefore(v[1].at())) {
                v[1] = s;
            }
            if (v[2] == null && !"{}".equals(s.utmJson())) {
                v[2] = s;
            }
        }
        int n = byVisitor.size();
        String[] ids = new String[n];
        Timestamp[] first = new Timestamp[n];
        Timestamp[] last = new Timestamp[n];
        String[] agents = new String[n];
        Boolean[] bots = new Boolean[n];
        String[] utms = new String[n];
        int i = 0;
        for (Map.Entry<String, Sighting[]> e : byVisitor.entrySet()) {
            Sighting[] v = e.getValue();
            ids[i] = e.getKey();
            first[i] = Timestamp.from(v[0].at());
            last[i] = Timestamp.from(v[1].at());
            agents[i] = v[1].userAgent();
            bots[i] = v[1].bot();
            utms[i] = v[2] == null ? "{}" : v[2].utmJson();
            i++;
        }
        Set<String> anonymous = new java.util.HashSet<>();
        jdbc.sql("""
                        INSERT INTO visitor (id, first_seen_at, last_seen_at, user_agent, bot, utm)
                        SELECT id, f, l, ua, b, CAST(u AS jsonb)
                          FROM unnest(CAST(:ids AS text[]), CAST(:first AS timestamptz[]), CAST(:last AS timestamptz[]),
                                      CAST(:agents AS text[]), CAST(:bots AS boolean[]), CAST(:utms AS text[]))
                               AS x(id, f, l, ua, b, u)
                        ON CONFLICT (id) DO UPDATE
                           SET first_seen_at = least(visitor.first_seen_at, EXCLUDED.first_seen_at),
                               last_seen_at = greatest(visitor.last_seen_at, EXCLUDED.last_seen_at),
                               user_agent = coalesce(EXCLUDED.user_agent, visitor.user_agent),
                               bot = EXCLUDED.bot,
                               utm = CASE WHEN visitor.utm = '{}'::jsonb THEN EXCLUDED.utm ELSE visitor.utm END
                        RETURNING id, prospect_id IS NULL""")
                .param("ids", ids)
                .param("first", first)
                .param("last", last)
                .param("agents", agents)
                .param("bots", bots)
                .param("utms", utms)
                .query((rs, row) -> rs.getBoolean(2) && anonymous.add(rs.getString(1)))
                .list();
        return anonymous;
    }

    /**
     * Links the visitor to the prospect (creating the visitor when it was never seen) and attaches
     * the visitor's earlier, unattributed activities to the prospect, in the caller's transaction.
     * Attached activities that intake already processed are applied to the prospect's state here,
     * through the engine, exactly once; those still pending are processed for the prospect by
     * intake. Activities already attributed to another prospect stay with it: relinking moves only
     * what happens from now on.
     *
     * @return how many activities were attached
     */
    @Transactional
    public int link(String visitorId, long prospectId, Instant at) {
        return linkAll(List.of(new Link(visitorId, prospectId, at)));
    }

    /** A visitor identified as a prospect at a time. */
    public record Link(String visitorId, long prospectId, Instant at) {}

    /**
     * {@link #link} for many visitors at once (each visitor named once), with a fixed number of statements: the
     * visitor rows in one, the attachment of their unattributed activities in another, then the engine for the
     * prospects whose attached activities were already processed.
     *
     * @return how many activities were attached
     */
    @Transactional
    public int linkAll(List<Link> links) {
        if (links.isEmpty()) {
            return 0;
        }
        // sorted by visitor: every caller takes the rows in one order
        List<Link> sorted = links.stream()
                .sorted(java.util.Comparator.comparing(Link::visitorId))
                .toList();
        int n = sorted.size();
        String[] visitorIds = new String[n];
        Long[] prospectIds = new Long[n];
        Timestamp[] at = new Timestamp[n];
        Map<Long, Instant> linkedAt = new HashMap<>(); // a prospect's first link: when its attached history applies
        for (int i = 0; i < n; i++) {
            linkedAt.merge(sorted.get(i).prospectId(), sorted.get(i).at(), (x, y) -> x.isBefore(y) ? x : y);
            visitorIds[i] = sorted.get(i).visitorId();
            prospectIds[i] = sorted.get(i).prospectId();
            at[i] = Timestamp.from(sorted.get(i).at());
            if (i > 0 && visitorIds[i].equals(visitorIds[i - 1])) {
                throw new IllegalArgumentException("visitor " + visitorIds[i] + " is linked twice");
            }
        }
        // The prospects first, FOR KEY SHARE in id order, as the accept locks those it attributes to: the attached
        // activities name them without a foreign key (V745, docs/scaling.md), so the lock is what keeps each from being
        // merged away or deleted before this commits (a merge waits, then moves what was attached here).
        References.lockAll(jdbc, References.Table.PROSPECT, linkedAt.keySet());
        // the visitor rows next: intake locks them after their activities, so taking them first means
        // intake either finishes before us or sees our links (and attributes what it holds)
        jdbc.sql("""
                        INSERT INTO visitor (id, prospect_id, first_seen_at, last_seen_at, linked_at)
                        SELECT v, p, a, a, a
                          FROM unnest(CAST(:visitors AS text[]), CAST(:prospects AS bigint[]),
                                      CAST(:at AS timestamptz[])) AS u(v, p, a)
                         ORDER BY v
                        ON CONFLICT (id) DO UPDATE
                           SET linked_at = CASE WHEN visitor.prospect_id IS NOT DISTINCT FROM excluded.prospect_id
                                                THEN coalesce(visitor.linked_at, excluded.linked_at)
                                                ELSE excluded.linked_at END,
                               prospect_id = excluded.prospect_id""")
                .param("visitors", visitorIds)
                .param("prospects", prospectIds)
                .param("at", at)
                .update();
        // rows intake holds right now are skipped: it attributes them itself once it sees the link. Intake holds an
        // activity by its queue row (claimed FOR UPDATE), so a queued activity whose queue row is locked is skipped
        // too; the queue rows of the others are locked here (updated below), never waited for.
        Map<Long, List<Activity>> processed = new TreeMap<>();
        java.util.Set<Long> attachedTo = new java.util.TreeSet<>();
        List<StoredActivity> attached = jdbc.sql("""
                        WITH candidate AS (
                            SELECT id, occurred_at FROM activity
                             WHERE visitor_id = ANY(CAST(:visitors AS text[])) AND prospect_id IS NULL
                             ORDER BY id
                               FOR UPDATE SKIP LOCKED),
                        ours AS (
                            SELECT activity_id FROM activity_queue
                             WHERE activity_id IN (SELECT id FROM candidate)
                             ORDER BY activity_id
                               FOR UPDATE SKIP LOCKED),
                        held AS (
                            SELECT activity_id FROM activity_queue WHERE activity_id IN (SELECT id FROM candidate)
                            EXCEPT
                            SELECT activity_id FROM ours)
                        UPDATE activity x SET prospect_id = u.p
                          FROM unnest(CAST(:visitors AS text[]), CAST(:prospects AS bigint[])) AS u(v, p)
                         WHERE x.visitor_id = u.v
                           AND (x.id, x.occurred_at) IN (SELECT id, occurred_at FROM candidate
                                                          WHERE id NOT IN (SELECT activity_id FROM held))
                        RETURNING\s""" + StoredActivity.COLUMNS)
                .param("visitors", visitorIds)
                .param("prospects", prospectIds)
                .query((rs, row) -> StoredActivity.read(rs, json))
                .list();
        List<Long> queuedIds = new ArrayList<>();
        List<Long> queuedFor = new ArrayList<>();
        for (StoredActivity a : attached) {
            attachedTo.add(a.prospectId());
            if (a.processed()) {
                processed
                        .computeIfAbsent(a.prospectId(), p -> new ArrayList<>())
                        .add(a.toEngine());
            } else {
                queuedIds.add(a.id());
                queuedFor.add(a.prospectId());
            }
        }
        if (!queuedIds.isEmpty()) {
            // those still queued now name their prospect in the queue too, so "still queued" counts them for it
            jdbc.sql("""
                            UPDATE activity_queue q SET prospect_id = u.p, email = NULL
                              FROM unnest(CAST(:ids AS bigint[]), CAST(:prospects AS bigint[])) AS u(id, p)
                             WHERE q.activity_id = u.id""")
                    .param("ids", queuedIds.toArray(Long[]::new))
                    .param("prospects", queuedFor.toArray(Long[]::new))
                    .update();
        }
        if (!processed.isEmpty()) {
            Map<Long, ProspectState> before = effects.lock(processed.keySet());
            Map<Long, IntakeProcessor.Result> results = new TreeMap<>();
            Map<Long, List<Activity>> applied = new TreeMap<>();
            processed.forEach((prospect, activities) -> {
                ProspectState state = before.get(prospect);
                if (state != null) {
                    results.put(prospect, processor.apply(state, activities, linkedAt.get(prospect)));
                    applied.put(prospect, activities);
                }
            });
            if (!results.isEmpty()) {
                effects.write(before, results, applied);
                actionSummary.add(applied);
            }
        }
        if (!attachedTo.isEmpty()) {
            events.publishEvent(new ActivitiesProcessed(attachedTo));
        }
        return attached.size();
    }

    /**
     * Records that these visitors were seen between the given instants (creating unknown ones
     * {@code ANONYMOUS}), in one statement, and answers the prospect each is linked to, if any.
     */
    Map<String, Long> seen(Map<String, Instant[]> firstAndLastSeen) {
        Map<String, Long> linked = new HashMap<>();
        if (firstAndLastSeen.isEmpty()) {
            return linked;
        }
        TreeMap<String, Instant[]> sorted = new TreeMap<>(firstAndLastSeen);
        String[] ids = sorted.keySet().toArray(String[]::new);
        Timestamp[] first =
                sorted.values().stream().map(v -> Timestamp.from(v[0])).toArray(Timestamp[]::new);
        Timestamp[] last =
                sorted.values().stream().map(v -> Timestamp.from(v[1])).toArray(Timestamp[]::new);
        jdbc.sql("""
                        INSERT INTO visitor (id, first_seen_at, last_seen_at)
                        SELECT id, f, l FROM unnest(CAST(:ids AS text[]), CAST(:first AS timestamptz[]),
                                                    CAST(:last AS timestamptz[])) AS u(id, f, l)
                         ORDER BY id
                        ON CONFLICT (id) DO UPDATE
                           SET first_seen_at = least(visitor.first_seen_at, excluded.first_seen_at),
                               last_seen_at = greatest(visitor.last_seen_at, excluded.last_seen_at)
                        RETURNING id, prospect_id""")
                .param("ids", ids)
                .param("first", first)
                .param("last", last)
                .query((rs, n) -> linked.put(rs.getString(1), (Long) rs.getObject(2)))
                .list();
        return linked;
    }
}
