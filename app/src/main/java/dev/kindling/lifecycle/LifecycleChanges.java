package dev.kindling.lifecycle;

import dev.kindling.engine.lifecycle.LifecyclePolicy;
import dev.kindling.prospects.ProspectRows;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A change of the lifecycle policy and its consequences, shared by the API and the UI: the policy commits first;
 * a new inactivity period reschedules every pending check in one statement; then the prospects the MQL thresholds
 * may now promote (ENGAGED or RECYCLED, score and grade at or above them) are re-evaluated in keyset pages of
 * {@value #PAGE}, one transaction each. Raising a threshold demotes nobody: no row of the table moves down on it.
 */
@Component
class LifecycleChanges {

    static final int PAGE = 5_000;
    private static final Logger log = LoggerFactory.getLogger(LifecycleChanges.class);

    /** What a change did: prospects re-evaluated against the thresholds, moved to MQL, inactivity checks rescheduled. */
    record Reevaluation(long evaluated, long moved, long rescheduled) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final LifecycleSettings settings;
    private final StageMoves moves;

    private final ProspectRows prospectRows;

    LifecycleChanges(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            Clock clock,
            LifecycleSettings settings,
            StageMoves moves,
            ProspectRows prospectRows) {
        this.prospectRows = prospectRows;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.settings = settings;
        this.moves = moves;
    }

    Reevaluation replace(LifecyclePolicy policy) {
        LifecyclePolicy before = settings.policy();
        transactions.executeWithoutResult(tx -> settings.save(policy));
        long rescheduled = 0;
        if (before.inactivityDays() != policy.inactivityDays()) {
            Integer n = transactions.execute(tx -> prospectRows.rescheduleInactivityChecks(policy.inactivityDays()));
            rescheduled = n == null ? 0 : n;
        }
        long evaluated = 0;
        long moved = 0;
        long after = 0;
        long started = System.nanoTime();
        while (true) {
            List<Long> page = jdbc.sql("""
                            SELECT id FROM prospect
                             WHERE stage IN ('ENGAGED', 'RECYCLED') AND score >= :score
                               AND grade_rank(grade) >= grade_rank(:grade) AND id > :after
                             ORDER BY id LIMIT :limit""")
                    .param("score", policy.mqlScore())
                    .param("grade", policy.mqlGrade().display())
                    .param("after", after)
                    .param("limit", PAGE)
                    .query(Long.class)
                    .list();
            if (page.isEmpty()) {
                break;
            }
            Integer n = transactions.execute(tx -> moves.qualify(page));
            moved += n == null ? 0 : n;
            evaluated += page.size();
            after = page.getLast();
            if (page.size() < PAGE) {
                break;
            }
        }
        if (evaluated > 0 || rescheduled > 0) {
            log.info(
                    "Lifecycle: policy changed; {} prospects re-evaluated, {} moved to MQL, {} checks rescheduled, in {} ms",
                    evaluated,
                    moved,
                    rescheduled,
                    (System.nanoTime() - started) / 1_000_000);
        }
        return new Reevaluation(evaluated, moved, rescheduled);
    }
}
