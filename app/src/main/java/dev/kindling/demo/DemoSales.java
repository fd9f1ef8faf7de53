package dev.kindling.demo;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The demo's sales history, written once intake has processed the demo year: for every demo prospect that reached SQL
 * more than three days ago, a worked handoff (attempts, first touch in or out of the 24 h window, accepted, converted)
 * and an opportunity with the prospect as primary contact — created a few days after the SQL, and when older than a
 * month closed WON (→ CUSTOMER) or LOST (→ RECYCLED), more often won the better the grade, with amounts spread from
 * 2 000 to 60 000, the prospect's acquisition campaign as primary campaign, and for a third of them a colleague of the
 * same account as a second contact role (influencer), so attribution merges the touches of several people. Besides,
 * quick deals: a prospect still ENGAGED or MQL whose score reached 25 gets, more often the better its grade, a small
 * deal created a day and a half later (→ SQL; an MQL accepted by its rep first, → SAL, an hour after the first touch)
 * and decided within 2–10 days — so the newest prospects, too, have outcomes for the closed loop to check its
 * suggestions on, and MQL → SAL has a figure. The other current MQLs are left as intake assigned them:
 * the reps' queue.
 *
 * <p>All of it is history dated in the past, so it is written directly in SQL (a fixed number of set-based statements,
 * whatever the volume), not through {@code Opportunities} and {@code SalesActions}, which date everything now. Which
 * deal is won, its amount and its dates come from the prospect id and {@link DemoData#SEED} only, so the same dataset
 * gives the same history. The stage moves are written as the opportunity effects would have written them (cause
 * {@code opportunity:<id>}, dated at the close); the score rules for opportunities are not replayed for this history.
 */
@Component
public class DemoSales {

    /** Marks the demo's deals: the history is written once. */
    static final String CREATED_BY = "import:demo";

    private static final Logger log = LoggerFactory.getLogger(DemoSales.class);

    /** The tables the load and intake wrote, which the history's statements read. */
    private static final String PROCESSED_TABLES = "prospect, activity, score_ledger, stage_transition, stage_reached,"
            + " sales_handoff, sales_task, assignment, opportunity_contact_role";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    DemoSales(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** The result of {@link #write()}: deals made, of them won and lost, and the handoffs given a history. */
    public record Written(long deals, long won, long lost, long handoffs) {}

    /** Waits (up to {@code timeout}) until intake has no queued activity, then {@link #write()}s; null on timeout. */
    public Written writeWhenProcessed(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (jdbc.sql("SELECT EXISTS (SELECT 1 FROM activity_queue)")
                .query(Boolean.class)
                .single()) {
            if (Instant.now().isAfter(deadline)) {
                log.warn("Demo data: intake still busy after {}; no sales history written", timeout);
                return null;
            }
            Thread.sleep(200);
        }
        return write();
    }

    /** Writes the history unless a demo deal exists (null then), in one transaction. */
    public Written write() {
        return transactions.execute(status -> {
            // one writer: a second start waits here and then finds the deals
            jdbc.sql("LOCK TABLE opportunity IN SHARE ROW EXCLUSIVE MODE").update();
            if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM opportunity WHERE created_by = :by)")
                    .param("by", CREATED_BY)
                    .query(Boolean.class)
                    .single()) {
                return null;
            }
            Written written = writeHistory(clock.instant());
            log.info(
                    "Demo data: sales history written: {} deals ({} won, {} lost), {} worked handoffs",
                    written.deals(),
                    written.won(),
                    written.lost(),
                    written.handoffs());
            return written;
        });
    }

    private Written writeHistory(Instant now) {
        Timestamp at = Timestamp.from(now);
        // the statistics of what the load and intake wrote (autovacuum may not have analyzed it yet, and never
        // analyzes a partitioned parent such as activity): planned on the empty tables' estimates, the quick deals'
        // statement below probed every partition of activity per ledger entry, 5.9–7.0 s instead of 0.14 s; taking
        // them costs 0.3–1.1 s (in this transaction: ANALYZE reads the rows the transaction sees)
        jdbc.sql("ANALYZE " + PROCESSED_TABLES).update();
        // h1..h4: deterministic numbers 0–999 per prospect and seed
        jdbc.sql("""
                CREATE TEMP TABLE demo_deal ON COMMIT DROP AS
                SELECT p.id AS prospect_id, p.account_id, p.owner_id, p.grade, p.company, p.campaign_id, sr.first_entered_at AS sql_at,
                       CAST(NULL AS text) AS from_stage, (p.id * 2654435761 + :seed * 1) % 1000 AS h1, (p.id * 40503 + :seed * 7) % 1000 AS h2,
                       (p.id * 69069 + :seed * 13) % 1000 AS h3, (p.id * 1103515245 + :seed * 29) % 1000 AS h4
                  FROM prospect p JOIN stage_reached sr ON sr.prospect_id = p.id AND sr.stage = 'SQL'
                 WHERE p.stage = 'SQL' AND sr.first_entered_at < CAST(:now AS timestamptz) - interval '3 days'
                   AND EXISTS (SELECT 1 FROM stage_transition t WHERE t.prospect_id = p.id AND t.cause = 'import:demo')
                   AND NOT EXISTS (SELECT 1 FROM opportunity_contact_role r WHERE r.prospect_id = p.id)""").param("seed", DemoData.SEED).param("now", at).update();
        // quick deals: the reps also call prospects who warm up (their score reaches 25, half the MQL threshold) while
        // ENGAGED or MQL — most of the A to C grades, fewer of the D and F — and such small deals are decided within
        // days, so the newest prospects have outcomes too (the closed loop's held-out fifth)
        jdbc.sql("""
                INSERT INTO demo_deal (prospect_id, account_id, owner_id, grade, company, campaign_id, sql_at, from_stage,
                                       h1, h2, h3, h4)
                SELECT p.id, p.account_id, p.owner_id, p.grade, p.company, p.campaign_id, greatest(w.at, t.at), p.stage,
                       (p.id * 2654435761 + :seed * 1) % 1000, (p.id * 40503 + :seed * 7) % 1000,
                       (p.id * 69069 + :seed * 13) % 1000, (p.id * 1103515245 + :seed * 29) % 1000
                  FROM prospect p CROSS JOIN LATERAL (SELECT max(st.at) AS at FROM stage_transition st WHERE st.prospect_id = p.id) t
                       CROSS JOIN LATERAL (
                            SELECT min(x.occurred_at) AS at FROM score_ledger l JOIN activity x ON x.id = l.activity_id
                             WHERE l.prospect_id = p.id AND l.result >= 25) w
                 WHERE p.stage IN ('ENGAGED', 'MQL') AND w.at IS NOT NULL
                   AND (p.id * 40503 + :seed * 7) % 1000 % 100 < CASE WHEN p.grade LIKE 'A%' OR p.grade LIKE 'B%' THEN 90
                        WHEN p.grade LIKE 'C%' THEN 80 WHEN p.grade LIKE 'D%' THEN 60 ELSE 30 END
                   AND greatest(w.at, t.at) < CAST(:now AS timestamptz) - interval '2 days'
                   AND EXISTS (SELECT 1 FROM stage_transition s WHERE s.prospect_id = p.id AND s.cause = 'import:demo')
                   AND NOT EXISTS (SELECT 1 FROM opportunity_contact_role r WHERE r.prospect_id = p.id)""").param("seed", DemoData.SEED).param("now", at).update();
        jdbc.sql("""
                ALTER TABLE demo_deal ADD COLUMN opportunity_id bigint, ADD COLUMN created_at timestamptz,
                      ADD COLUMN status text, ADD COLUMN closed_at timestamptz, ADD COLUMN amount numeric(18, 2),
                      ADD COLUMN first_touch timestamptz, ADD COLUMN attempts integer""").update();
        // created 2–5 days after the SQL; older than a month: closed 2–8 weeks later, won by grade
        jdbc.sql("""
                UPDATE demo_deal SET
                       opportunity_id = nextval(pg_get_serial_sequence('opportunity', 'id')),
                       created_at = least(CASE WHEN from_stage IS NULL THEN sql_at + interval '48 hours' + (h1 % 72) * interval '1 hour'
                                               ELSE sql_at + interval '36 hours' + (h1 % 12) * interval '1 hour' END,
                                          CAST(:now AS timestamptz) - interval '1 hour'),
                       amount = CASE WHEN from_stage IS NULL THEN 2000 + (h3 % 59) * 1000
                                     ELSE 2000 + (h1 % 9) * 1000 END
                                + CASE WHEN grade LIKE 'A%' THEN 8000 WHEN grade LIKE 'B%' THEN 4000 ELSE 0 END,
                       first_touch = sql_at + (1 + h4 % 32) * interval '1 hour',
                       attempts = 1 + h4 % 3""").param("now", at).update();
        jdbc.sql("""
                UPDATE demo_deal SET
                       status = CASE WHEN created_at >= CAST(:now AS timestamptz) - interval '30 days' THEN 'OPEN'
                                     WHEN h2 % 100 < CASE WHEN grade LIKE 'A%' THEN 75 WHEN grade LIKE 'B%' THEN 60
                                                          WHEN grade LIKE 'C%' THEN 45 ELSE 30 END THEN 'WON'
                                     ELSE 'LOST' END
                 WHERE from_stage IS NULL""").param("now", at).update();
        jdbc.sql("""
                UPDATE demo_deal SET closed_at = least(created_at + (14 + h3 % 42) * interval '1 day',
                                                     CAST(:now AS timestamptz) - interval '1 day')
                 WHERE status <> 'OPEN' AND from_stage IS NULL""").param("now", at).update();
        // the quick deals close 2–10 days after creation, unless that is still to come (open)
        jdbc.sql("""
                UPDATE demo_deal SET
                       closed_at = CASE WHEN created_at + (2 + h3 % 9) * interval '1 day' < CAST(:now AS timestamptz)
                                        THEN created_at + (2 + h3 % 9) * interval '1 day' END,
                       status = CASE WHEN created_at + (2 + h3 % 9) * interval '1 day' >= CAST(:now AS timestamptz) THEN 'OPEN'
                                     WHEN h4 % 100 < CASE WHEN grade LIKE 'A%' THEN 75 WHEN grade LIKE 'B%' THEN 65
                                                          WHEN grade LIKE 'C%' THEN 55 ELSE 40 END THEN 'WON'
                                     ELSE 'LOST' END
                 WHERE from_stage IS NOT NULL""").param("now", at).update();

        jdbc.sql("""
                INSERT INTO opportunity (id, name, account_id, amount, currency, stage, status, probability, type,
                                         lost_reason, close_date, created_at, updated_at, closed_at, created_by, closed_by,
                                         primary_campaign_id)
                OVERRIDING SYSTEM VALUE
                SELECT opportunity_id, left(coalesce(nullif(company, ''), 'Prospect ' || prospect_id), 180) || ' — demo deal',
                       account_id, amount, 'USD',
                       CASE status WHEN 'WON' THEN 'Closed Won' WHEN 'LOST' THEN 'Closed Lost'
                                   ELSE (ARRAY['Discovery', 'Proposal', 'Negotiation'])[1 + h1 % 3] END,
                       status, CASE status WHEN 'WON' THEN 100 WHEN 'LOST' THEN 0 ELSE 20 + (h2 % 5) * 15 END,
                       'NEW_BUSINESS',
                       CASE WHEN status = 'LOST' THEN (ARRAY['PRICE', 'COMPETITOR', 'NO_DECISION', 'TIMING', 'FEATURES'])[1 + h4 % 5] END,
                       coalesce(closed_at, created_at + interval '60 days')::date, created_at,
                       coalesce(closed_at, created_at), closed_at, :by, CASE WHEN status <> 'OPEN' THEN :by END, campaign_id
                  FROM demo_deal ORDER BY opportunity_id""").param("by", CREATED_BY).update();
        jdbc.sql("""
                INSERT INTO opportunity_contact_role (opportunity_id, prospect_id, role, is_primary, created_at)
                SELECT opportunity_id, prospect_id,
                       (ARRAY['DECISION_MAKER', 'ECONOMIC_BUYER', 'EVALUATOR', 'INFLUENCER'])[1 + h2 % 4], true, created_at
                  FROM demo_deal""").update();
        // a third of the deals also have a colleague of the same account as influencer (multi-touch attribution)
        jdbc.sql("""
                INSERT INTO opportunity_contact_role (opportunity_id, prospect_id, role, is_primary, created_at)
                SELECT d.opportunity_id, c.id, 'INFLUENCER', false, d.created_at
                  FROM demo_deal d CROSS JOIN LATERAL (
                       SELECT q.id FROM prospect q
                        WHERE q.account_id = d.account_id AND q.id <> d.prospect_id AND q.captured_at < d.created_at
                        ORDER BY q.id LIMIT 1) c
                 WHERE d.h4 % 3 = 0""").update();

        // an MQL among them was accepted by its rep an hour after the first touch (MQL → SAL, as accepting the handoff
        // moves it), before its deal was created
        jdbc.sql("""
                INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause)
                SELECT d.prospect_id, 'MQL', 'SAL', d.first_touch + interval '1 hour',
                       coalesce('user:' || (SELECT u.email FROM sales_handoff h JOIN app_user u ON u.id = h.user_id
                                             WHERE h.prospect_id = d.prospect_id AND h.open LIMIT 1), :by)
                  FROM demo_deal d WHERE d.from_stage = 'MQL' ORDER BY d.first_touch, d.prospect_id""").param("by", CREATED_BY).update();
        jdbc.sql("""
                INSERT INTO stage_reached (prospect_id, stage, first_entered_at)
                SELECT prospect_id, 'SAL', first_touch + interval '1 hour' FROM demo_deal WHERE from_stage = 'MQL'
                ON CONFLICT (prospect_id, stage) DO NOTHING""").update();
        // the quick deals' contacts move to SQL when their deal is created (the SQL path's did with their demo request)
        jdbc.sql("""
                INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause)
                SELECT prospect_id, CASE from_stage WHEN 'MQL' THEN 'SAL' ELSE from_stage END, 'SQL', created_at,
                       'opportunity:' || opportunity_id
                  FROM demo_deal WHERE from_stage IS NOT NULL ORDER BY created_at, prospect_id""").update();
        jdbc.sql("""
                INSERT INTO stage_reached (prospect_id, stage, first_entered_at)
                SELECT prospect_id, 'SQL', created_at FROM demo_deal WHERE from_stage IS NOT NULL
                ON CONFLICT (prospect_id, stage) DO NOTHING""").update();
        jdbc.sql("""
                UPDATE prospect p SET stage = 'SQL', updated_at = :now
                  FROM demo_deal d WHERE d.prospect_id = p.id AND d.from_stage IS NOT NULL AND d.status = 'OPEN'""").param("now", at).update();
        // the effects, dated at the close: won → CUSTOMER, lost (its only deal) → RECYCLED
        jdbc.sql("""
                INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause)
                SELECT prospect_id, 'SQL', CASE status WHEN 'WON' THEN 'CUSTOMER' ELSE 'RECYCLED' END, closed_at,
                       'opportunity:' || opportunity_id
                  FROM demo_deal WHERE status <> 'OPEN' ORDER BY closed_at, prospect_id""").update();
        jdbc.sql("""
                INSERT INTO stage_reached (prospect_id, stage, first_entered_at)
                SELECT prospect_id, CASE status WHEN 'WON' THEN 'CUSTOMER' ELSE 'RECYCLED' END, closed_at
                  FROM demo_deal WHERE status <> 'OPEN'
                ON CONFLICT (prospect_id, stage) DO NOTHING""").update();
        jdbc.sql("""
                UPDATE prospect p SET stage = CASE d.status WHEN 'WON' THEN 'CUSTOMER' ELSE 'RECYCLED' END, updated_at = :now
                  FROM demo_deal d WHERE d.prospect_id = p.id AND d.status <> 'OPEN'""").param("now", at).update();

        // the handoff behind each deal: handed off at the SQL, touched (in the 24 h window or not), accepted, converted
        long handoffs = jdbc.sql("""
                UPDATE sales_handoff h SET assigned_at = d.sql_at, due_at = d.sql_at + interval '24 hours',
                       at_risk_at = d.sql_at + interval '18 hours',
                       first_attempt_at = d.first_touch, attempts = d.attempts, connected = true,
                       accepted_at = d.first_touch + interval '1 hour', outcome = 'CONVERTED', outcome_at = d.created_at,
                       sla_state = CASE WHEN d.first_touch <= d.sql_at + interval '24 hours' THEN 'MET' ELSE 'BREACHED' END,
                       breached_at = CASE WHEN d.first_touch > d.sql_at + interval '24 hours'
                                          THEN d.sql_at + interval '24 hours' END,
                       sla_check_at = NULL, open = false
                  FROM demo_deal d WHERE h.prospect_id = d.prospect_id AND h.open""").update();
        // their follow-up tasks were done at the first touch, and fell due with the first contact
        jdbc.sql("""
                UPDATE sales_task t SET status = 'DONE', due_at = h.due_at, done_at = h.first_attempt_at
                  FROM sales_handoff h JOIN demo_deal d ON d.prospect_id = h.prospect_id
                 WHERE t.handoff_id = h.id AND t.status = 'OPEN' AND h.outcome_at = d.created_at""").update();
        jdbc.sql("""
                UPDATE assignment a SET at = h.assigned_at
                  FROM sales_handoff h JOIN demo_deal d ON d.prospect_id = h.prospect_id
                 WHERE a.id = h.assignment_id AND h.outcome = 'CONVERTED' AND h.outcome_at = d.created_at""").update();
        jdbc.sql("""
                INSERT INTO sales_attempt (prospect_id, handoff_id, user_id, kind, outcome, note, at)
                SELECT h.prospect_id, h.id, h.user_id, CASE WHEN n = d.attempts THEN 'CALL' ELSE (ARRAY['CALL', 'EMAIL'])[1 + n % 2] END,
                       CASE WHEN n = d.attempts THEN (ARRAY['CONNECTED', 'MEETING_SET', 'REPLIED'])[1 + d.h1 % 3]
                            ELSE (ARRAY['NO_ANSWER', 'LEFT_MESSAGE', 'EMAIL_SENT'])[1 + (d.h2 + n) % 3] END,
                       NULL, d.first_touch + (n - 1) * interval '3 hours'
                  FROM demo_deal d JOIN sales_handoff h ON h.prospect_id = d.prospect_id AND h.outcome_at = d.created_at
                       CROSS JOIN LATERAL generate_series(1, d.attempts) n
                 ORDER BY h.id, n""").update();

        record Counts(long deals, long won, long lost) {}
        Counts counts = jdbc.sql("""
                SELECT count(*), count(*) FILTER (WHERE status = 'WON'), count(*) FILTER (WHERE status = 'LOST')
                  FROM demo_deal""")
                .query((rs, n) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .single();
        return new Written(counts.deals(), counts.won(), counts.lost(), handoffs);
    }
}
