package dev.kindling.salesforce;

import dev.kindling.conditions.ConditionJson;
import dev.kindling.conditions.ConditionSql;
import dev.kindling.engine.condition.Condition;
import dev.kindling.grading.LifecycleThresholds;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.prospects.Prospects;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The explicit "sync to CRM" step (the prospect page's button, {@code POST /api/v1/prospects/{id}/crm-sync}, a
 * handoff, the automation action) and a
 * prospect's Salesforce status. A prospect gets a Salesforce record only this way — matched by email when one exists,
 * created as a Lead otherwise — and only when it matches the sync condition (the condition language; none set: any
 * prospect); a prospect already linked is simply synced now. Never a side effect of a change.
 */
@Component("salesforceCrmSync")
public class CrmSync {

    private static final Logger log = LoggerFactory.getLogger(CrmSync.class);

    /** A parked error of the prospect's record, as the page and API show it. */
    public record ParkedError(
            long id, String kind, String code, String message, List<String> fields, int attempts, Instant lastAt) {}

    /** A prospect's Salesforce status; {@code deletedInCrm} when its record was deleted in Salesforce. */
    public record Status(
            long prospectId,
            boolean connected,
            String object,
            String salesforceId,
            String recordUrl,
            String state,
            boolean deletedInCrm,
            Instant lastSyncedAt,
            boolean queued,
            List<ParkedError> errors) {}

    private final SalesforceSettings settings;
    private final SalesforceConnector connector;
    private final SalesforceOutbox outbox;
    private final SalesforceRecords records;
    private final Prospects prospects;
    private final LifecycleThresholds thresholds;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    /** The explicit step's pushes, one at a time, off the request thread. */
    private final ExecutorService pushes = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("salesforce-sync-now").daemon().factory());

    CrmSync(
            SalesforceSettings settings,
            SalesforceConnector connector,
            SalesforceOutbox outbox,
            SalesforceRecords records,
            Prospects prospects,
            LifecycleThresholds thresholds,
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.settings = settings;
        this.connector = connector;
        this.outbox = outbox;
        this.records = records;
        this.prospects = prospects;
        this.thresholds = thresholds;
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Whether the connector is configured (the page shows the panel only then). */
    public boolean connected() {
        return settings.current().isPresent();
    }

    /** Whether the signed-in user may take the explicit step on the page (its form post is for ADMIN and MARKETING). */
    public boolean maySync() {
        return dev.kindling.platform.security.Role.any(
                org.springframework.security.core.context.SecurityContextHolder.getContext()
                        .getAuthentication(),
                dev.kindling.platform.security.Role.ADMIN,
                dev.kindling.platform.security.Role.MARKETING);
    }

    /**
     * Sync the prospect to Salesforce now, creating its record when it has none and nothing matches: the push is
     * queued (committed, so it survives a restart) and run at once on the connector's own thread, never inside the
     * request — Salesforce may be slow or retrying, and a cycle may be running. The answer shows the prospect
     * {@code queued} ("sync pending") until the push is done; a push that cannot reach Salesforce stays queued for the
     * next cycle.
     */
    public Status request(long prospectId, boolean allowDuplicates) {
        if (!connected()) {
            throw new ConflictException("Salesforce is not connected: configure the connector first");
        }
        prospects.find(prospectId).orElseThrow(() -> new NotFoundException("No prospect " + prospectId));
        boolean linked = !records.activeByProspect(List.of(prospectId)).isEmpty();
        if (!linked && !matchesCondition(prospectId)) {
            throw new ConflictException("The prospect does not match the Salesforce sync condition");
        }
        tx.executeWithoutResult(s -> outbox.enqueue(List.of(prospectId), true, allowDuplicates, clock.instant()));
        Status pending = status(prospectId);
        pushes.execute(() -> {
            try {
                connector.withClient(sf -> outbox.push(sf, List.of(prospectId)));
            } catch (RuntimeException e) {
                log.warn(
                        "Salesforce: the push of prospect {} failed, the next cycle tries again: {}",
                        prospectId,
                        e.getMessage());
            }
        });
        return pending;
    }

    @PreDestroy
    void stop() {
        pushes.shutdownNow();
    }

    /** The prospect's Salesforce record, sync state and open errors. */
    public Status status(long prospectId) {
        prospects.find(prospectId).orElseThrow(() -> new NotFoundException("No prospect " + prospectId));
        Optional<SalesforceRecords.Link> link = records.latestOf(prospectId);
        boolean queued = jdbc.sql("SELECT count(*) FROM salesforce_outbox WHERE prospect_id = :p")
                        .param("p", prospectId)
                        .query(Long.class)
                        .single()
                > 0;
        List<ParkedError> errors = jdbc.sql("""
                        SELECT id, kind, code, message, fields, attempts, last_at FROM salesforce_error
                         WHERE resolved_at IS NULL AND record->>'prospectId' = :p ORDER BY last_at DESC, id DESC""")
                .param("p", String.valueOf(prospectId))
                .query((rs, n) -> new ParkedError(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        List.of((String[]) rs.getArray(5).getArray()),
                        rs.getInt(6),
                        rs.getTimestamp(7).toInstant()))
                .list();
        return new Status(
                prospectId,
                connected(),
                link.map(l -> l.object).orElse(null),
                link.map(l -> l.sfId).orElse(null),
                link.flatMap(l -> connector.instanceUrl().map(u -> u + "/" + l.sfId))
                        .orElse(null),
                link.map(l -> l.state).orElse(null),
                link.map(l -> l.state.equals("DELETED")).orElse(false),
                link.map(l -> l.lastSyncedAt).orElse(null),
                queued,
                errors);
    }

    // ---------------------------------------------------------------- the sync condition

    /** The condition a prospect must match to be created in Salesforce, if one is set. */
    public Optional<JsonNode> condition() {
        return jdbc.sql("SELECT sync_condition::text FROM salesforce_sync_settings WHERE sync_condition IS NOT NULL")
                .query(String.class)
                .optional()
                .map(SalesforceClient.JSON::readTree);
    }

    /** Sets (or with {@code null} removes) the sync condition, validated as conditions are everywhere. */
    public Optional<JsonNode> saveCondition(JsonNode json) {
        String stored = null;
        if (json != null && !json.isNull()) {
            Condition condition = ConditionJson.parse(json, prospects.customFields(), "condition");
            stored = ConditionJson.write(condition).toString();
        }
        jdbc.sql("""
                INSERT INTO salesforce_sync_settings (id, sync_condition, updated_at) VALUES (1, CAST(:c AS jsonb), :now)
                ON CONFLICT (id) DO UPDATE SET sync_condition = EXCLUDED.sync_condition, updated_at = EXCLUDED.updated_at""")
                .param("c", stored)
                .param("now", Timestamp.from(clock.instant()))
                .update();
        return condition();
    }

    boolean matchesCondition(long prospectId) {
        return !matchingCondition(List.of(prospectId)).isEmpty();
    }

    /** Those of these prospects that match the sync condition (all when none is set), in one query. */
    List<Long> matchingCondition(java.util.Collection<Long> prospectIds) {
        Optional<JsonNode> json = condition();
        if (prospectIds.isEmpty()) {
            return List.of();
        }
        if (json.isEmpty()) {
            return List.copyOf(prospectIds);
        }
        Condition condition = ConditionJson.parse(json.get(), prospects.customFields(), "condition");
        ConditionSql.Compiled compiled = ConditionSql.compile(condition, clock.instant(), thresholds.current());
        return jdbc.sql("SELECT p.id FROM " + ConditionSql.FROM + " WHERE p.id = ANY(:prospectIds) AND ("
                        + compiled.sql() + ")")
                .params(compiled.params())
                .param("prospectIds", prospectIds.toArray(Long[]::new))
                .query(Long.class)
                .list();
    }

    /**
     * A handoff — a prospect assigned to a user (by hand, a rule, its stage) — is the explicit step for the prospects
     * Salesforce has never had (no record of any state, so one deleted in Salesforce is not re-created): those matching
     * the sync condition are queued, allowed to be created, in the assigning transaction; the next cycle matches or
     * creates them, with the new owner as {@code OwnerId} when that user is a Salesforce user. Nothing while no
     * connector is configured.
     */
    @org.springframework.context.event.EventListener
    void on(dev.kindling.assignment.ProspectsAssigned assigned) {
        if (!connected()) {
            return;
        }
        List<Long> neverSynced = jdbc.sql("""
                        SELECT id FROM unnest(CAST(:ids AS bigint[])) AS t(id)
                         WHERE NOT EXISTS (SELECT 1 FROM salesforce_record r WHERE r.prospect_id = t.id)""")
                .param("ids", assigned.prospectIds().toArray(Long[]::new))
                .query(Long.class)
                .list();
        outbox.enqueue(matchingCondition(neverSynced), true, false, clock.instant());
    }

    /** The automation action: queue the prospects that match the condition, allowed to be created (next cycle). */
    void requestAll(java.util.Collection<Long> prospectIds) {
        if (connected()) {
            outbox.enqueue(matchingCondition(prospectIds), true, false, clock.instant());
        }
    }
}
