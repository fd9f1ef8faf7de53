package dev.kindling.scoring;

import dev.kindling.engine.scoring.Decay;
import dev.kindling.engine.scoring.ScoreState;
import dev.kindling.engine.scoring.ScoringModel;
import dev.kindling.platform.time.Recurring;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies decay when it falls due. Each prospect carries {@code next_decay_at}; this job, on its own thread,
 * takes only rows whose instant has come — oldest first, {@value #BATCH} per transaction,
 * {@code FOR UPDATE SKIP LOCKED} so several instances (and intake) never wait on each other — and writes the
 * DECAY entries, the new score and the next due instant. It never looks at a prospect that is not due. A due
 * prospect that still has activities waiting in the intake queue is left to intake, which continues its history on
 * the activities' own timeline and settles the decay after the last of them (so a backlog of history is never decayed
 * to now between two of its batches).
 */
@Component
public class DecayJob {

    static final int BATCH = 1_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ScoreStore store;
    private final ScoringModels models;
    private final Recurring recurring;

    DecayJob(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock, ScoreStore store,
            ScoringModels models, @Value("${kindling.scoring.decay-interval:PT5S}") Duration interval) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.store = store;
        this.models = models;
        this.recurring = new Recurring("decay", interval, this::runDue);
    }

    /** Applies every decay due now; returns how many prospects were looked at. */
    public int runDue() {
        int total = 0;
        int n;
        do {
            n = runBatch();
            total += n;
        } while (n == BATCH);
        return total;
    }

    private int runBatch() {
        Integer n = tx.execute(status -> {
            Instant now = clock.instant();
            Map<Long, ScoreState> due = new LinkedHashMap<>();
            jdbc.sql("SELECT p.id, " + ScoreStore.COLUMNS + """
                             FROM prospect p
                            WHERE p.next_decay_at <= :now
                              AND NOT EXISTS (SELECT 1 FROM activity a
                                               WHERE a.prospect_id = p.id AND a.processed_at IS NULL)
                              AND NOT EXISTS (SELECT 1 FROM activity a
                                               WHERE a.email = p.email AND a.prospect_id IS NULL
                                                 AND a.processed_at IS NULL)
                            ORDER BY p.next_decay_at
                            LIMIT :limit
                              FOR UPDATE SKIP LOCKED""")
                    .param("now", Timestamp.from(now)).param("limit", BATCH)
                    .query((rs, row) -> due.put(rs.getLong("id"), store.read(rs)))
                    .list();
            if (due.isEmpty()) {
                return 0;
            }
            ScoringModel model = models.current();
            List<Long> ids = new ArrayList<>();
            List<ScoreState> states = new ArrayList<>();
            List<ScoreStore.Entry> entries = new ArrayList<>();
            due.forEach((id, state) -> {
                Decay.Scored scored = Decay.due(state, model, now);
                ids.add(id);
                states.add(scored.state());
                scored.entries().forEach(e -> entries.add(new ScoreStore.Entry(id, e)));
            });
            store.writeStates(ids, states);
            store.append(entries);
            return due.size();
        });
        return n == null ? 0 : n;
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
