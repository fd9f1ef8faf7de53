package dev.kindling.sales;

import dev.kindling.engine.sla.SlaClock;
import dev.kindling.engine.sla.SlaState;
import dev.kindling.platform.time.DueSweep;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Moves handoffs along their SLA when time alone changes it (ON_TRACK → AT_RISK → BREACHED). Each open, untouched
 * handoff carries {@code sla_check_at}, the instant its state changes next; this job takes only rows whose instant
 * has come — oldest first, {@value #BATCH} per transaction, {@code FOR NO KEY UPDATE SKIP LOCKED} — lets the engine decide
 * by the window the handoff was given when it opened (its stored at-risk and due instants: a later policy change
 * applies to new handoffs only), writes the new states and next checks in one UPDATE, and hands the new at-risk
 * handoffs and breaches to {@link BreachNotices} in the same transaction. It never looks at a handoff that is not due.
 */
@Component
public class SlaCheckJob {

    static final int BATCH = 1_000;

    /** What a run did: due handoffs looked at, how many became at risk and breached. */
    public record Run(int due, int atRisk, int breached) {}

    private record Due(long id, SlaClock.Window window, SlaState state) {}

    private final JdbcClient jdbc;
    private final BreachNotices notices;
    private final DueSweep<Due, Run> sweep;

    SlaCheckJob(
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            Clock clock,
            BreachNotices notices,
            @Value("${kindling.sales.sla-check-interval:PT15S}") Duration interval) {
        this.jdbc = jdbc;
        this.notices = notices;
        this.sweep = new DueSweep<>("sla-checks", interval, BATCH, clock, transactions, new DueSweep.Job<>() {
            public List<Due> claim(Instant now, int limit) {
                return jdbc.sql(DueSweep.claim(
                                "SELECT id, assigned_at, at_risk_at, due_at, sla_state FROM sales_handoff",
                                "sla_check_at",
                                "open"))
                        .param("now", Timestamp.from(now))
                        .param("limit", limit)
                        .query((rs, n) -> new Due(
                                rs.getLong(1),
                                new SlaClock.Window(
                                        rs.getTimestamp(2).toInstant(),
                                        rs.getTimestamp(3).toInstant(),
                                        rs.getTimestamp(4).toInstant()),
                                SlaState.valueOf(rs.getString(5))))
                        .list();
            }

            public Run handle(List<Due> due, Instant now) {
                return check(due, now);
            }
        });
    }

    /** Applies every SLA check due now. */
    public Run runDue() {
        DueSweep.Run<Run> run = sweep.runDue();
        return new Run(
                run.due(),
                run.batches().stream().mapToInt(Run::atRisk).sum(),
                run.batches().stream().mapToInt(Run::breached).sum());
    }

    private Run check(List<Due> rows, Instant now) {
        List<Long> ids = new ArrayList<>();
        List<String> states = new ArrayList<>();
        List<Timestamp> checks = new ArrayList<>();
        List<Long> newlyBreached = new ArrayList<>();
        List<Long> newlyAtRisk = new ArrayList<>();
        for (Due row : rows) {
            // the window the handoff was given when it opened: a policy changed since does not move it
            SlaClock.Status status = SlaClock.evaluate(row.window(), null, now);
            ids.add(row.id());
            states.add(status.state().name());
            checks.add(status.nextCheckAt() == null ? null : Timestamp.from(status.nextCheckAt()));
            if (status.state() == SlaState.BREACHED && row.state() != SlaState.BREACHED) {
                newlyBreached.add(row.id());
            } else if (status.state() == SlaState.AT_RISK && row.state() != SlaState.AT_RISK) {
                newlyAtRisk.add(row.id());
            }
        }
        jdbc.sql("""
                        UPDATE sales_handoff h
                           SET sla_state = u.state, sla_check_at = u.check_at,
                               breached_at = CASE WHEN u.state = 'BREACHED' THEN coalesce(h.breached_at, h.due_at) END
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:states AS text[]), CAST(:checks AS timestamptz[]))
                               AS u(id, state, check_at)
                         WHERE h.id = u.id""")
                .param("ids", ids.toArray(Long[]::new))
                .param("states", states.toArray(String[]::new))
                .param("checks", checks.toArray(Timestamp[]::new))
                .update();
        notices.atRisk(newlyAtRisk);
        notices.breached(newlyBreached);
        return new Run(rows.size(), newlyAtRisk.size(), newlyBreached.size());
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        sweep.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        sweep.stop();
    }
}
