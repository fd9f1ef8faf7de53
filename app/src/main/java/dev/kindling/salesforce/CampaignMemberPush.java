package dev.kindling.salesforce;

import dev.kindling.engine.crm.Backoff;
import dev.kindling.engine.crm.CrmErrors;
import dev.kindling.intake.ActivitiesProcessed;
import dev.kindling.salesforce.SalesforceClient.SaveResult;
import dev.kindling.salesforce.SalesforceClient.SfError;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Kindling adds members to the Salesforce campaigns of its own touches: a synced prospect (one with an active Lead or
 * Contact) with a touch of a Kindling campaign linked to a Salesforce Campaign gets a CampaignMember there. Queued in
 * {@code salesforce_member_push} in the transaction that recorded the touch ({@link ActivitiesProcessed}), linked
 * the prospect, or linked the campaign (its earlier touches, {@link #enqueueCampaign}), so a crash loses nothing; the cycle creates the due members by composite collections (200 per call)
 * after the prospect push, within the budget. Salesforce's {@code DUPLICATE_VALUE} ("already a campaign member")
 * counts as done: the person is a member, which is what was asked. Lock errors wait with backoff; other errors are
 * parked in the error queue until retried. Members Salesforce already has (read by the poll) are never created, and
 * members Kindling created add no second touch when the poll reads them.
 */
@Component
class CampaignMemberPush {

    static final String OBJECT = "CampaignMember";
    static final int PUSH_BATCH = 10_000;
    static final String ALREADY_MEMBER = "DUPLICATE_VALUE";

    /** What a push did. */
    record Result(int created, int already, int failed) {}

    private record Due(long prospectId, String campaignSfId, String object, String recordId, int attempts) {}

    private final JdbcClient jdbc;
    private final SalesforceSettings settings;
    private final ErrorQueue errors;
    private final TransactionTemplate tx;
    private final Clock clock;

    CampaignMemberPush(
            JdbcClient jdbc,
            SalesforceSettings settings,
            ErrorQueue errors,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.errors = errors;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    @EventListener
    void on(ActivitiesProcessed event) {
        if (settings.current().isPresent()) {
            enqueue(event.prospectIds(), clock.instant());
        }
    }

    /**
     * A touch of a campaign, as attribution counts them ({@code docs/attribution.md}): a non-bot activity with the
     * campaign — not one recorded from a Salesforce CampaignMember, which is Salesforce's own member — or the
     * prospect's acquisition campaign. {@code %s} is where each part is narrowed (to prospects or to a campaign).
     */
    private static final String TOUCHES = """
            SELECT a.prospect_id, a.campaign_id FROM activity a
             WHERE %1$s AND a.prospect_id IS NOT NULL AND a.campaign_id IS NOT NULL AND NOT a.bot
               AND a.external_id NOT LIKE 'salesforce:CampaignMember:%%'
            UNION
            SELECT p.id, p.campaign_id FROM prospect p WHERE %2$s AND p.campaign_id IS NOT NULL""";

    /**
     * Queues a member for each linked Salesforce campaign these prospects touched in Kindling ({@link #TOUCHES}), for
     * the prospects with an active record; what is queued or done already stays as it is. One statement, in the
     * caller's transaction.
     */
    void enqueue(Collection<Long> prospectIds, Instant now) {
        if (prospectIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                WITH active AS (SELECT prospect_id FROM salesforce_record WHERE prospect_id = ANY(:ids) AND state = 'ACTIVE')
                INSERT INTO salesforce_member_push (prospect_id, campaign_sf_id, queued_at, next_attempt_at)
                SELECT DISTINCT t.prospect_id, c.sf_id, CAST(:now AS timestamptz), CAST(:now AS timestamptz)
                  FROM (%s) AS t(prospect_id, campaign_id)
                  JOIN salesforce_campaign c ON c.campaign_id = t.campaign_id AND c.deleted_at IS NULL
                ON CONFLICT (prospect_id, campaign_sf_id) DO NOTHING""".formatted(TOUCHES.formatted(
                        "a.prospect_id = ANY(SELECT prospect_id FROM active)",
                        "p.id = ANY(SELECT prospect_id FROM active)")))
                .param("ids", prospectIds.stream().distinct().sorted().toArray(Long[]::new))
                .param("now", Timestamp.from(now))
                .update();
    }

    /**
     * Queues the earlier touches of a campaign just linked to the Salesforce Campaign {@code campaignSfId}: a member
     * for each synced prospect (an active Lead or Contact) that touched it ({@link #TOUCHES}); what is queued or done
     * already stays as it is. One statement, in the caller's transaction (the link's); returns how many were queued.
     */
    int enqueueCampaign(long campaignId, String campaignSfId, Instant now) {
        return jdbc.sql("""
                        INSERT INTO salesforce_member_push (prospect_id, campaign_sf_id, queued_at, next_attempt_at)
                        SELECT t.prospect_id, :sf, CAST(:now AS timestamptz), CAST(:now AS timestamptz)
                          FROM (%s) AS t(prospect_id, campaign_id)
                         WHERE EXISTS (SELECT 1 FROM salesforce_record r
                                        WHERE r.prospect_id = t.prospect_id AND r.state = 'ACTIVE')
                        ON CONFLICT (prospect_id, campaign_sf_id) DO NOTHING""".formatted(TOUCHES.formatted("a.campaign_id = :campaign", "p.campaign_id = :campaign")))
                .param("campaign", campaignId)
                .param("sf", campaignSfId)
                .param("now", Timestamp.from(now))
                .update();
    }

    /**
     * A campaign's link was taken away: the members still to be created for that Campaign are dropped, and their
     * parked errors dismissed (those created stay: a membership is created once, also if the campaign is linked
     * again).
     */
    void unlinked(String campaignSfId, Instant now) {
        jdbc.sql("DELETE FROM salesforce_member_push WHERE campaign_sf_id = :c AND done_at IS NULL")
                .param("c", campaignSfId)
                .update();
        jdbc.sql("""
                UPDATE salesforce_error SET resolved_at = :at, resolution = 'DISMISSED'
                 WHERE resolved_at IS NULL AND object = 'CampaignMember' AND record->>'campaignSfId' = :c""").param("at", Timestamp.from(now)).param("c", campaignSfId).update();
    }

    /** Members of this Campaign queued (due or waiting for a retry) and created or found already there. */
    long[] counts(String campaignSfId) {
        return jdbc.sql("""
                        SELECT count(*) FILTER (WHERE next_attempt_at IS NOT NULL), count(*) FILTER (WHERE done_at IS NOT NULL)
                          FROM salesforce_member_push WHERE campaign_sf_id = :c""")
                .param("c", campaignSfId)
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .single();
    }

    /** Members Salesforce has (read by the poll): nothing to create for them. In the poll's transaction. */
    void known(List<Long> prospectIds, List<String> campaignSfIds, List<String> memberSfIds, Instant now) {
        if (prospectIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO salesforce_member_push (prospect_id, campaign_sf_id, member_sf_id, queued_at, done_at)
                SELECT p, c, m, CAST(:now AS timestamptz), CAST(:now AS timestamptz)
                  FROM unnest(CAST(:prospects AS bigint[]), CAST(:campaigns AS text[]), CAST(:members AS text[])) AS u(p, c, m)
                 WHERE EXISTS (SELECT 1 FROM prospect WHERE id = p)
                ON CONFLICT (prospect_id, campaign_sf_id) DO UPDATE SET
                       member_sf_id = coalesce(salesforce_member_push.member_sf_id, EXCLUDED.member_sf_id),
                       done_at = coalesce(salesforce_member_push.done_at, EXCLUDED.done_at), next_attempt_at = NULL""")
                .param("prospects", prospectIds.toArray(Long[]::new))
                .param("campaigns", campaignSfIds.toArray(String[]::new))
                .param("members", memberSfIds.toArray(String[]::new))
                .param("now", Timestamp.from(now))
                .update();
    }

    /** Which of these CampaignMembers Kindling created (their touch is Kindling's own, already recorded). */
    List<String> createdByKindling(Collection<String> memberSfIds) {
        return jdbc.sql("SELECT member_sf_id FROM salesforce_member_push WHERE member_sf_id = ANY(:ids)")
                .param("ids", memberSfIds.toArray(String[]::new))
                .query(String.class)
                .list();
    }

    /** Members waiting to be created (due or waiting for a retry), for the console's backlog. */
    long backlog() {
        return jdbc.sql("SELECT count(*) FROM salesforce_member_push WHERE next_attempt_at IS NOT NULL")
                .query(Long.class)
                .single();
    }

    /** Create the due members: one collection call per 200; the results written in one transaction. */
    Result push(SalesforceClient sf) {
        Instant now = clock.instant();
        List<Due> due = jdbc.sql("""
                        SELECT m.prospect_id, m.campaign_sf_id, r.object, r.sf_id, m.attempts
                          FROM salesforce_member_push m
                          JOIN salesforce_record r ON r.prospect_id = m.prospect_id AND r.state = 'ACTIVE'
                         WHERE m.next_attempt_at <= :now ORDER BY m.next_attempt_at, m.prospect_id LIMIT :limit""")
                .param("now", Timestamp.from(now))
                .param("limit", PUSH_BATCH)
                .query((rs, n) ->
                        new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)))
                .list();
        if (due.isEmpty()) {
            return new Result(0, 0, 0);
        }
        List<Map<String, Object>> members = new ArrayList<>();
        for (Due d : due) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("CampaignId", d.campaignSfId());
            m.put(d.object().equals("Contact") ? "ContactId" : "LeadId", d.recordId());
            members.add(m);
        }
        List<SaveResult> results = sf.createAll(OBJECT, members, false, false);
        int[] counts = new int[3];
        tx.executeWithoutResult(status -> {
            Instant at = clock.instant();
            for (int i = 0; i < due.size(); i++) {
                Due d = due.get(i);
                SaveResult r = results.get(i);
                SfError error =
                        r.success() ? null : r.error().orElse(new SfError("UNKNOWN", "no error given", List.of()));
                if (r.success() || ALREADY_MEMBER.equals(error.code())) {
                    done(d, r.success() ? r.id() : null, at);
                    counts[r.success() ? 0 : 1]++;
                } else if (CrmErrors.ofRecord(error.code()) == CrmErrors.Handling.RETRY) {
                    int attempts = d.attempts() + 1;
                    next(
                            d,
                            attempts,
                            at.plus(Backoff.delay(
                                    Math.min(attempts, 10),
                                    ThreadLocalRandom.current().nextDouble())));
                    counts[2]++;
                } else {
                    next(d, d.attempts() + 1, null);
                    park(d, members.get(i), error);
                    counts[2]++;
                }
            }
        });
        return new Result(counts[0], counts[1], counts[2]);
    }

    /**
     * Queue again the member pushes of these parked errors (after the cause was fixed in Salesforce); returns how
     * many.
     */
    int retryParked(Collection<Long> errorIds) {
        return jdbc.sql("""
                        UPDATE salesforce_member_push m SET next_attempt_at = :now
                          FROM salesforce_error e
                         WHERE e.id = ANY(:ids) AND e.resolved_at IS NULL AND e.object = 'CampaignMember'
                           AND m.prospect_id = (e.record->>'prospectId')::bigint
                           AND m.campaign_sf_id = e.record->>'campaignSfId' AND m.done_at IS NULL""")
                .param("now", Timestamp.from(clock.instant()))
                .param("ids", errorIds.toArray(Long[]::new))
                .update();
    }

    private void done(Due d, String memberId, Instant at) {
        jdbc.sql("""
                UPDATE salesforce_member_push SET member_sf_id = :member, done_at = :at, next_attempt_at = NULL
                 WHERE prospect_id = :p AND campaign_sf_id = :c""")
                .param("member", memberId)
                .param("at", Timestamp.from(at))
                .param("p", d.prospectId())
                .param("c", d.campaignSfId())
                .update();
        jdbc.sql("""
                UPDATE salesforce_error SET resolved_at = :at, resolution = 'RETRIED'
                 WHERE resolved_at IS NULL AND object = 'CampaignMember' AND record->>'prospectId' = :p
                   AND record->>'campaignSfId' = :c""")
                .param("at", Timestamp.from(at))
                .param("p", String.valueOf(d.prospectId()))
                .param("c", d.campaignSfId())
                .update();
    }

    private void next(Due d, int attempts, Instant next) {
        jdbc.sql("""
                UPDATE salesforce_member_push SET attempts = :attempts, next_attempt_at = :next
                 WHERE prospect_id = :p AND campaign_sf_id = :c""")
                .param("attempts", attempts)
                .param("next", next == null ? null : Timestamp.from(next))
                .param("p", d.prospectId())
                .param("c", d.campaignSfId())
                .update();
    }

    /** One open entry per prospect and campaign: parking again counts an attempt. */
    private void park(Due d, Map<String, Object> member, SfError error) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("prospectId", d.prospectId());
        record.put("campaignSfId", d.campaignSfId());
        record.put("values", member);
        int again = jdbc.sql("""
                        UPDATE salesforce_error SET attempts = attempts + 1, last_at = :at, code = :code, message = :message,
                               fields = :fields
                         WHERE resolved_at IS NULL AND object = 'CampaignMember' AND record->>'prospectId' = :p
                           AND record->>'campaignSfId' = :c""")
                .param("at", Timestamp.from(clock.instant()))
                .param("code", error.code())
                .param("message", error.message())
                .param("fields", error.fields().toArray(String[]::new))
                .param("p", String.valueOf(d.prospectId()))
                .param("c", d.campaignSfId())
                .update();
        if (again == 0) {
            errors.park(OBJECT, null, error.code(), error.message(), error.fields(), record);
        }
    }
}
