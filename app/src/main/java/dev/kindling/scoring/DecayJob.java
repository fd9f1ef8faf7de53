package dev.kindling.scoring;

import dev.kindling.engine.scoring.Decay;
import dev.kindling.engine.scoring.ScoreState;
import dev.kindling.engine.scoring.ScoringModel;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * DECAY entries, the new score and the next due instant. It never looks at a prospect that is not due.
 */
@Component
public class DecayJob {

    private static final Logger log = LoggerFactory.getLogger(DecayJob.class);
    static final int BATCH = 1_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ScoreStore store;
    private final ScoringModels models;
    private final Duration interval;
    private volatile boolean running;
    private Thread thread;

    DecayJob(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock, ScoreStore store,
            ScoringModels models, @Value("${kindling.scoring.decay-interval:PT5S}") Duration interval) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.store = store;
        this.models = models;
        this.interval = interval;
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
    synchronized void start() {
        if (thread != null || interval.isZero() || interval.isNegative()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("kindling-decay").start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                runDue();
            } catch (RuntimeException e) {
                log.warn("Decay run failed; retrying in {}", interval, e);
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @PreDestroy
    synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
            thread = null;
        }
    }
}
