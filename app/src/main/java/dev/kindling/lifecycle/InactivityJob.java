package dev.kindling.lifecycle;

import dev.kindling.platform.time.DueSweep;
import dev.kindling.prospects.ProspectRows;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Recycles prospects silent for the inactivity period. Each prospect carries {@code lifecycle_check_at} (in {@code prospect_due},
 * kept by intake, capture and settings changes); this job, on its own thread, takes only rows whose instant has come —
 * oldest first, {@value #BATCH} per transaction, {@code FOR NO KEY UPDATE SKIP LOCKED} so intake and other instances never
 * wait on it — and lets the engine recycle them, dated when the silence fell due (however late the job runs). It
 * never looks at a prospect that is not due. A due prospect with activities still waiting in the intake queue is
 * left to intake (which recycles at the due instant itself when the waiting activity came after it), so a backlog
 * of history — an import, the demo data — is never recycled ahead of activities that would have kept it engaged.
 */
@Component
public class InactivityJob {

    static final int BATCH = 1_000;

    /** What a run did: due prospects looked at, and how many were recycled. */
    public record Run(int due, int recycled) {}

    private final JdbcClient jdbc;
    private final StageMoves moves;
    private final DueSweep<StageMoves.Row, Integer> sweep;

    InactivityJob(
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            Clock clock,
            StageMoves moves,
            @Value("${kindling.lifecycle.inactivity-interval:PT30S}") Duration interval) {
        this.jdbc = jdbc;
        this.moves = moves;
        this.sweep = new DueSweep<>("inactivity", interval, BATCH, clock, transactions, new DueSweep.Job<>() {
            public List<StageMoves.Row> claim(Instant now, int limit) {
                return jdbc.sql(ProspectRows.claimDue(
                                StageMoves.COLUMNS, "lifecycle_check_at", ProspectRows.NOTHING_QUEUED))
                        .param("now", Timestamp.from(now))
                        .param("limit", limit)
                        .query(StageMoves::row)
                        .list();
            }

            public Integer handle(List<StageMoves.Row> due, Instant now) {
                return moves.recycle(due);
            }
        });
    }

    /** Applies every inactivity check due now. */
    public Run runDue() {
        DueSweep.Run<Integer> run = sweep.runDue();
        return new Run(
                run.due(), run.batches().stream().mapToInt(Integer::intValue).sum());
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
