package dev.kindling.scoring;

import dev.kindling.engine.scoring.Decay;
import dev.kindling.engine.scoring.ScoreState;
import dev.kindling.engine.scoring.ScoringModel;
import dev.kindling.platform.time.DueSweep;
import dev.kindling.prospects.ProspectRows;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Applies decay when it falls due. Each prospect carries {@code next_decay_at} (in {@code prospect_due}); this job, on its own thread,
 * takes only rows whose instant has come — oldest first, {@value #BATCH} per transaction,
 * {@code FOR NO KEY UPDATE SKIP LOCKED} so several instances (and intake) never wait on each other — and writes the
 * DECAY entries, the new score and the next due instant. It never looks at a prospect that is not due. A due
 * prospect that still has activities waiting in the intake queue is left to intake, which continues its history on
 * the activities' own timeline and settles the decay after the last of them (so a backlog of history is never decayed
 * to now between two of its batches).
 */
@Component
public class DecayJob {

    static final int BATCH = 1_000;

    private final JdbcClient jdbc;
    private final ScoreStore store;
    private final ScoringModels models;
    private final DueSweep<Map.Entry<Long, ScoreState>, Integer> sweep;

    DecayJob(
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            Clock clock,
            ScoreStore store,
            ScoringModels models,
            @Value("${kindling.scoring.decay-interval:PT5S}") Duration interval) {
        this.jdbc = jdbc;
        this.store = store;
        this.models = models;
        this.sweep = new DueSweep<>("decay", interval, BATCH, clock, transactions, new DueSweep.Job<>() {
            public List<Map.Entry<Long, ScoreState>> claim(Instant now, int limit) {
                return claimDue(now, limit);
            }

            public Integer handle(List<Map.Entry<Long, ScoreState>> due, Instant now) {
                decay(due, now);
                return due.size();
            }
        });
    }

    /** Applies every decay due now; returns how many prospects were looked at. */
    public int runDue() {
        return sweep.runDue().due();
    }

    /** The due prospects with nothing queued ({@link ProspectRows#NOTHING_QUEUED}). */
    private List<Map.Entry<Long, ScoreState>> claimDue(Instant now, int limit) {
        return jdbc.sql(ProspectRows.claimDue(
                        "p.id, " + ScoreStore.COLUMNS, "next_decay_at", ProspectRows.NOTHING_QUEUED))
                .param("now", Timestamp.from(now))
                .param("limit", limit)
                .query((rs, row) -> Map.entry(rs.getLong("id"), store.read(rs)))
                .list();
    }

    private void decay(List<Map.Entry<Long, ScoreState>> due, Instant now) {
        ScoringModel model = models.current();
        List<Long> ids = new ArrayList<>();
        List<ScoreState> states = new ArrayList<>();
        List<ScoreStore.Entry> entries = new ArrayList<>();
        for (Map.Entry<Long, ScoreState> row : due) {
            Decay.Scored scored = Decay.due(row.getValue(), model, now);
            ids.add(row.getKey());
            states.add(scored.state());
            scored.entries().forEach(e -> entries.add(new ScoreStore.Entry(row.getKey(), e)));
        }
        store.writeStates(ids, states);
        store.append(entries);
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
