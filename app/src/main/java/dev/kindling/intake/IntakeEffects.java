package dev.kindling.intake;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.intake.IntakeEvent;
import dev.kindling.engine.intake.IntakeProcessor;
import dev.kindling.engine.intake.ProspectState;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.scoring.LedgerEntry;
import dev.kindling.lifecycle.KeyActions;
import dev.kindling.lifecycle.StageHistory;
import dev.kindling.prospects.ProspectRows;
import dev.kindling.scoring.ScoreStore;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where the engine's intake decisions meet the database: loads the state of a set of prospects
 * in one query (locking their rows in id order, so two processors never interleave on one
 * prospect and never deadlock), and writes changed states and every kind of {@link IntakeEvent}
 * in batch, one statement per kind. A capability that adds state or events to the engine adds
 * its columns and its case here, and nowhere else.
 */
@Component
class IntakeEffects {

    private final JdbcClient jdbc;
    private final ScoreStore scores;
    private final StageHistory stageHistory;
    private final KeyActions keyActions;

    private final ProspectRows prospectRows;

    IntakeEffects(
            JdbcClient jdbc,
            ScoreStore scores,
            StageHistory stageHistory,
            KeyActions keyActions,
            ProspectRows prospectRows) {
        this.prospectRows = prospectRows;
        this.jdbc = jdbc;
        this.scores = scores;
        this.stageHistory = stageHistory;
        this.keyActions = keyActions;
    }

    /**
     * The current state of these prospects, locked until the transaction ends; sorted by id. {@code FOR NO KEY
     * UPDATE}: two writers of a prospect still take turns, but an insert referencing it (an activity attributed at
     * accept, whose foreign key check and {@code ActivityIntake}'s lock take {@code FOR KEY SHARE}) does not wait for
     * the batch that holds it — nor does the batch wait for such an insert, so the two never deadlock.
     */
    Map<Long, ProspectState> lock(Collection<Long> prospectIds) {
        return lock(prospectIds, null, null);
    }

    /**
     * {@link #lock(Collection)} for activities from {@code earliest} on, processed at {@code now}: with the MQL key
     * action condition on, the states also carry the latest key action that can count for them (one more query).
     */
    Map<Long, ProspectState> lock(Collection<Long> prospectIds, java.time.Instant earliest, java.time.Instant now) {
        return keyActions.attach(lockRows(prospectIds), earliest, now);
    }

    private Map<Long, ProspectState> lockRows(Collection<Long> prospectIds) {
        Map<Long, ProspectState> states = new TreeMap<>();
        if (prospectIds.isEmpty()) {
            return states;
        }
        jdbc.sql("SELECT p.id, p.stage, p.last_activity_at, p.grade, d.lifecycle_check_at, "
                        + StageHistory.STAGE_CHANGED_AT + " AS stage_changed_at, " + ScoreStore.COLUMNS
                        + " FROM prospect p " + ProspectRows.DUE_JOIN
                        + " WHERE p.id = ANY(:ids) ORDER BY p.id FOR NO KEY UPDATE OF p")
                .param("ids", prospectIds.stream().sorted().toArray(Long[]::new))
                .query((rs, n) -> {
                    Timestamp last = rs.getTimestamp("last_activity_at");
                    Timestamp check = rs.getTimestamp("lifecycle_check_at");
                    Timestamp since = rs.getTimestamp("stage_changed_at");
                    long id = rs.getLong("id");
                    return states.put(
                            id,
                            new ProspectState(
                                    id,
                                    LifecycleStage.valueOf(rs.getString("stage")),
                                    last == null ? null : last.toInstant(),
                                    scores.read(rs),
                                    Grade.parse(rs.getString("grade")).orElse(null),
                                    check == null ? null : check.toInstant(),
                                    since == null ? null : since.toInstant()));
                })
                .list();
        return scores.withCaps(states);
    }

    /**
     * Persists what the engine decided: every changed state in one UPDATE, every event by kind. {@code activities}:
     * the activities the results come from, by prospect — each ACTIVITY ledger entry records when its activity
     * occurred.
     */
    void write(
            Map<Long, ProspectState> before,
            Map<Long, IntakeProcessor.Result> results,
            Map<Long, List<Activity>> activities) {
        List<ProspectState> changed = new ArrayList<>();
        List<IntakeEvent> events = new ArrayList<>();
        for (Map.Entry<Long, IntakeProcessor.Result> e : new TreeMap<>(results).entrySet()) {
            if (e.getValue().changed(before.get(e.getKey()))) {
                changed.add(e.getValue().state());
            }
            events.addAll(e.getValue().events());
        }
        writeStates(changed);
        scores.writeCaps(before, changed);
        Map<Long, Instant> occurred = new HashMap<>();
        activities.values().forEach(list -> list.forEach(a -> occurred.put(a.id(), a.occurredAt())));
        writeEvents(events, occurred);
    }

    private void writeStates(List<ProspectState> states) {
        if (states.isEmpty()) {
            return;
        }
        int n = states.size();
        Long[] ids = new Long[n];
        String[] stages = new String[n];
        Timestamp[] lastActivity = new Timestamp[n];
        Timestamp[] lifecycleCheck = new Timestamp[n];
        ScoreStore.Columns score =
                scores.columns(states.stream().map(ProspectState::score).toList());
        for (int i = 0; i < n; i++) {
            ProspectState s = states.get(i);
            ids[i] = s.prospectId();
            stages[i] = s.stage().name();
            lastActivity[i] = s.lastActivityAt() == null ? null : Timestamp.from(s.lastActivityAt());
            lifecycleCheck[i] = s.lifecycleCheckAt() == null ? null : Timestamp.from(s.lifecycleCheckAt());
        }
        prospectRows.writeIntakeStates(
                ids, stages, lastActivity, score.scores(), score.nextDecay(), score.memory(), lifecycleCheck);
    }

    /**
     * Every event kind is handled here, in batch. The switch has no default, so a new kind of
     * event does not compile until it says how it is persisted.
     */
    private void writeEvents(List<IntakeEvent> events, Map<Long, Instant> occurred) {
        List<IntakeEvent.StageChanged> stageChanges = new ArrayList<>();
        List<ScoreStore.Entry> ledger = new ArrayList<>();
        for (IntakeEvent event : events) {
            switch (event) {
                case IntakeEvent.LastActivityAdvanced advanced -> {
                    // carried by the prospect's state row
                }
                case IntakeEvent.StageChanged changed -> stageChanges.add(changed);
                case IntakeEvent.ScoreChanged changed ->
                    changed.entries()
                            .forEach(e -> ledger.add(new ScoreStore.Entry(
                                    changed.prospectId(),
                                    e,
                                    e.kind() == LedgerEntry.Kind.ACTIVITY ? occurred.get(e.activityId()) : null)));
            }
        }
        // the batch's own entries first: a stage move's listeners (the recycle policy) write theirs after them
        scores.append(ledger);
        stageHistory.append(stageChanges);
    }
}
