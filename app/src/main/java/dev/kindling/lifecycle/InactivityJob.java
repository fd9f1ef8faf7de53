package dev.kindling.lifecycle;

import dev.kindling.platform.time.Recurring;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recycles prospects silent for the inactivity period. Each prospect carries {@code lifecycle_check_at} (kept by
 * intake, capture and settings changes); this job, on its own thread, takes only rows whose instant has come —
 * oldest first, {@value #BATCH} per transaction, {@code FOR UPDATE SKIP LOCKED} so intake and other instances never
 * wait on it — and lets the engine recycle them, dated when the silence fell due (however late the job runs). It
 * never looks at a prospect that is not due. A due prospect with activities still waiting in the intake queue is
 * left to intake (which recycles at the due instant itself when the waiting activity came after it), so a backlog
 * of history — an import, the demo data — is never recycled ahead of activities that would have kept it engaged.
 */
@Component
public class InactivityJob {

    static final int BATCH = 1_000;

    /** What a run did: due prospects looked at, and how many were recycled. */
    public record Run(int due, int recycled) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final StageMoves moves;
    private final Recurring recurring;

    InactivityJob(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock, StageMoves moves,
            @Value("${kindling.lifecycle.inactivity-interval:PT30S}") Duration interval) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.moves = moves;
        this.recurring = new Recurring("inactivity", interval, this::runDue);
    }

    /** Applies every inactivity check due now. */
    public Run runDue() {
        int due = 0;
        int recycled = 0;
        Run batch;
        do {
            batch = runBatch();
            due += batch.due();
            recycled += batch.recycled();
        } while (batch.due() == BATCH);
        return new Run(due, recycled);
    }

    private Run runBatch() {
        Run run = tx.execute(status -> {
            List<StageMoves.Row> due = jdbc.sql("SELECT " + StageMoves.COLUMNS + """
                             FROM prospect p
                            WHERE p.lifecycle_check_at <= :now
                              AND NOT EXISTS (SELECT 1 FROM activity a
                                               WHERE a.prospect_id = p.id AND a.processed_at IS NULL)
                              AND NOT EXISTS (SELECT 1 FROM activity a
                                               WHERE a.email = p.email AND a.prospect_id IS NULL
                                                 AND a.processed_at IS NULL)
                            ORDER BY p.lifecycle_check_at
                            LIMIT :limit
                              FOR UPDATE SKIP LOCKED""")
                    .param("now", Timestamp.from(clock.instant())).param("limit", BATCH)
                    .query(StageMoves::row)
                    .list();
            return new Run(due.size(), due.isEmpty() ? 0 : moves.recycle(due));
        });
        return run == null ? new Run(0, 0) : run;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        recurring.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        recurring.stop();
    }
}
