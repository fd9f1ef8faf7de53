package dev.kindling.salesforce;

import dev.kindling.engine.crm.Backoff;
import dev.kindling.engine.crm.CrmErrors;
import dev.kindling.salesforce.SalesforceClient.SaveResult;
import dev.kindling.salesforce.SalesforceClient.SfError;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Campaigns Kindling creates in Salesforce for its own campaigns (the link step's "create",
 * {@link CampaignLinks}): queued in {@code salesforce_campaign_push} with the request, created by the cycle before the
 * campaign members, by composite collections (200 per call), with the campaign's name and its cost as
 * {@code ActualCost}. A created Campaign is linked to the campaign ({@code salesforce_campaign}, origin
 * {@code KINDLING}) and the campaign's earlier touches queued as members, in one transaction. Lock errors wait with
 * backoff; any other error is parked in the error queue (object {@code Campaign}, Salesforce's message and fields,
 * the values sent) and not sent again until retried.
 */
@Component
class CampaignPush {

    private static final Logger log = LoggerFactory.getLogger(CampaignPush.class);

    static final String OBJECT = "Campaign";
    static final int PUSH_BATCH = 1_000;
    /** The key of a parked creation's record in the error queue: the Kindling campaign's id. */
    static final String KEY = "kindlingCampaignId";
    /** Salesforce's {@code Campaign.Name} is a text field of 80 characters. */
    static final int MAX_NAME = 80;

    /** What a push did. */
    record Result(int created, int failed) {}

    private record Due(long campaignId, String name, BigDecimal cost, int attempts) {}

    private final JdbcClient jdbc;
    private final CampaignMemberPush members;
    private final ErrorQueue errors;
    private final TransactionTemplate tx;
    private final Clock clock;

    CampaignPush(
            JdbcClient jdbc,
            CampaignMemberPush members,
            ErrorQueue errors,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.jdbc = jdbc;
        this.members = members;
        this.errors = errors;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Queue the creation of the campaign's Campaign, in the caller's transaction; queued already: as it is. */
    void enqueue(long campaignId, Instant now) {
        jdbc.sql("""
                INSERT INTO salesforce_campaign_push (campaign_id, queued_at, next_attempt_at) VALUES (:c, :now, :now)
                ON CONFLICT (campaign_id) DO NOTHING""").param("c", campaignId).param("now", Timestamp.from(now)).update();
    }

    /** The campaign's pending creation: when it was queued, or {@code null} when none is pending. */
    Instant queuedAt(long campaignId) {
        return jdbc.sql("SELECT queued_at FROM salesforce_campaign_push WHERE campaign_id = :c")
                .param("c", campaignId)
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .optional()
                .orElse(null);
    }

    /** Drop the campaign's pending creation and dismiss its parked error; whether one was pending. */
    boolean cancel(long campaignId, Instant now) {
        jdbc.sql("""
                UPDATE salesforce_error SET resolved_at = :at, resolution = 'DISMISSED'
                 WHERE resolved_at IS NULL AND object = 'Campaign' AND record->>'kindlingCampaignId' = :c""")
                .param("at", Timestamp.from(now))
                .param("c", String.valueOf(campaignId))
                .update();
        return jdbc.sql("DELETE FROM salesforce_campaign_push WHERE campaign_id = :c")
                        .param("c", campaignId)
                        .update()
                > 0;
    }

    /** Creations waiting (due or waiting for a retry), for the console's backlog. */
    long backlog() {
        return jdbc.sql("SELECT count(*) FROM salesforce_campaign_push WHERE next_attempt_at IS NOT NULL")
                .query(Long.class)
                .single();
    }

    /** Create the due Campaigns: one collection call per 200; the results written in one transaction. */
    Result push(SalesforceClient sf) {
        Instant now = clock.instant();
        List<Due> due = jdbc.sql("""
                        SELECT p.campaign_id, c.name, c.cost, p.attempts
                          FROM salesforce_campaign_push p JOIN campaign c ON c.id = p.campaign_id
                         WHERE p.next_attempt_at <= :now ORDER BY p.next_attempt_at, p.campaign_id LIMIT :limit""")
                .param("now", Timestamp.from(now))
                .param("limit", PUSH_BATCH)
                .query((rs, n) -> new Due(rs.getLong(1), rs.getString(2), rs.getBigDecimal(3), rs.getInt(4)))
                .list();
        if (due.isEmpty()) {
            return new Result(0, 0);
        }
        List<Map<String, Object>> campaigns = new ArrayList<>();
        for (Due d : due) {
            campaigns.add(values(d.name(), d.cost()));
        }
        List<SaveResult> results = sf.createAll(OBJECT, campaigns, false, false);
        int[] counts = new int[2];
        tx.executeWithoutResult(status -> {
            Instant at = clock.instant();
            for (int i = 0; i < due.size(); i++) {
                Due d = due.get(i);
                SaveResult r = results.get(i);
                if (r.success()) {
                    created(d.campaignId(), r.id(), at);
                    counts[0]++;
                    continue;
                }
                SfError error = r.error().orElse(new SfError("UNKNOWN", "no error given", List.of()));
                int attempts = d.attempts() + 1;
                if (CrmErrors.ofRecord(error.code()) == CrmErrors.Handling.RETRY) {
                    next(
                            d.campaignId(),
                            attempts,
                            at.plus(Backoff.delay(
                                    Math.min(attempts, 10),
                                    ThreadLocalRandom.current().nextDouble())));
                } else {
                    next(d.campaignId(), attempts, null);
                    park(d.campaignId(), campaigns.get(i), error, at);
                }
                counts[1]++;
            }
        });
        return new Result(counts[0], counts[1]);
    }

    /** What Kindling sends: the name and, when the campaign has one, its cost as {@code ActualCost}. */
    static Map<String, Object> values(String name, BigDecimal cost) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Name", name);
        if (cost != null && cost.signum() > 0) {
            out.put("ActualCost", cost);
        }
        return out;
    }

    /**
     * Queue again the creations of these parked errors (after the cause was fixed in Salesforce); returns how many.
     */
    int retryParked(Collection<Long> errorIds) {
        return jdbc.sql("""
                        UPDATE salesforce_campaign_push p SET next_attempt_at = :now
                          FROM salesforce_error e
                         WHERE e.id = ANY(:ids) AND e.resolved_at IS NULL AND e.object = 'Campaign'
                           AND p.campaign_id = (e.record->>'kindlingCampaignId')::bigint""")
                .param("now", Timestamp.from(clock.instant()))
                .param("ids", errorIds.toArray(Long[]::new))
                .update();
    }

    /** The Campaign exists: link it, queue the campaign's earlier touches as members, resolve a parked error. */
    private void created(long campaignId, String sfId, Instant at) {
        int linked = jdbc.sql("""
                        INSERT INTO salesforce_campaign (sf_id, campaign_id, modstamp, origin, linked_at)
                        VALUES (:sf, :c, to_timestamp(0), 'KINDLING', :at) ON CONFLICT DO NOTHING""")
                .param("sf", sfId)
                .param("c", campaignId)
                .param("at", Timestamp.from(at))
                .update();
        if (linked == 0) {
            log.warn("Salesforce: Campaign {} was created for campaign {}, which is linked already", sfId, campaignId);
        } else {
            members.enqueueCampaign(campaignId, sfId, at);
        }
        jdbc.sql("DELETE FROM salesforce_campaign_push WHERE campaign_id = :c")
                .param("c", campaignId)
                .update();
        jdbc.sql("""
                UPDATE salesforce_error SET resolved_at = :at, resolution = 'RETRIED'
                 WHERE resolved_at IS NULL AND object = 'Campaign' AND record->>'kindlingCampaignId' = :c""")
                .param("at", Timestamp.from(at))
                .param("c", String.valueOf(campaignId))
                .update();
    }

    private void next(long campaignId, int attempts, Instant next) {
        jdbc.sql(
                        "UPDATE salesforce_campaign_push SET attempts = :attempts, next_attempt_at = :next WHERE campaign_id = :c")
                .param("attempts", attempts)
                .param("next", next == null ? null : Timestamp.from(next))
                .param("c", campaignId)
                .update();
    }

    /** One open entry per campaign: parking again counts an attempt. */
    private void park(long campaignId, Map<String, Object> values, SfError error, Instant at) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put(KEY, campaignId);
        record.put("values", values);
        int again = jdbc.sql("""
                        UPDATE salesforce_error SET attempts = attempts + 1, last_at = :at, code = :code, message = :message,
                               fields = :fields
                         WHERE resolved_at IS NULL AND object = 'Campaign' AND record->>'kindlingCampaignId' = :c""")
                .param("at", Timestamp.from(at))
                .param("code", error.code())
                .param("message", error.message())
                .param("fields", error.fields().toArray(String[]::new))
                .param("c", String.valueOf(campaignId))
                .update();
        if (again == 0) {
            errors.park(OBJECT, null, error.code(), error.message(), error.fields(), record);
        }
    }
}
