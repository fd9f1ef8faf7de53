package dev.kindling.lifecycle;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.intake.IntakeEvent.StageChanged;
import dev.kindling.engine.lifecycle.Lifecycle;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.lifecycle.StageTable;
import dev.kindling.prospects.ProspectRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Stage moves outside intake, each in the caller's transaction and in batch: the disqualification policies on
 * capture, the MQL thresholds after a grade or threshold change, the inactivity job's recycling and manual moves.
 * Every move loads the prospects' rows locked in id order, lets the engine decide, writes the stages and inactivity
 * checks in one UPDATE and the history in one INSERT each.
 */
@Component
class StageMoves {

    private final AuditLog audit;

    static final StageTable TABLE = StageTable.standard();

    /**
     * What the engine needs of a prospect outside intake; {@code lastSeen} is its last activity, else its capture;
     * {@code since} its last transition or capture, before which no move is dated.
     */
    record Row(
            long id,
            LifecycleStage stage,
            int score,
            Grade grade,
            String email,
            Instant lastSeen,
            Instant checkAt,
            Instant since) {}

    static final String COLUMNS = """
            p.id, p.stage, p.score, p.grade, p.email, coalesce(p.last_activity_at, p.captured_at) AS last_seen,
            d.lifecycle_check_at, """ + StageHistory.STAGE_CHANGED_AT + " AS stage_changed_at";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final LifecycleSettings settings;
    private final StageHistory history;

    private final org.springframework.context.ApplicationEventPublisher events;

    private final KeyActions keyActions;

    private final ProspectRows prospectRows;

    StageMoves(
            JdbcClient jdbc,
            Clock clock,
            LifecycleSettings settings,
            StageHistory history,
            org.springframework.context.ApplicationEventPublisher events,
            KeyActions keyActions,
            AuditLog audit,
            ProspectRows prospectRows) {
        this.prospectRows = prospectRows;
        this.audit = audit;
        this.keyActions = keyActions;
        this.events = events;
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
        this.history = history;
    }

    Lifecycle lifecycle() {
        return new Lifecycle(TABLE, settings.policy());
    }

    /**
     * Newly captured prospects (still CAPTURED and never moved since): the disqualification policies, dated at the
     * capture (they judge the capture, so a back-dated capture is disqualified when it happened), and the first
     * inactivity check for those who stay.
     */
    int onCapture(Collection<Long> ids) {
        Lifecycle lifecycle = lifecycle();
        List<Row> rows = lock("""
                p.id = ANY(:ids) AND p.stage = 'CAPTURED'
                AND NOT EXISTS (SELECT 1 FROM stage_transition t WHERE t.prospect_id = p.id AND t.from_stage IS NOT NULL)""", ids);
        return apply(
                rows,
                (row, now) -> lifecycle.atCapture(
                        row.id(), row.stage(), row.email(), row.since() == null ? now : row.since()));
    }

    /**
     * The MQL conditions for these prospects, as their score and grade stand now and, when the key action condition
     * is on, with their latest key action within its days (one more query).
     */
    int qualify(Collection<Long> ids) {
        Lifecycle lifecycle = lifecycle();
        List<Row> rows = lock("p.id = ANY(:ids) AND p.stage IN ('ENGAGED', 'RECYCLED')", ids);
        Instant at = clock.instant();
        java.util.Map<Long, Instant> keyAction = keyActions.latest(
                rows.stream().map(Row::id).toList(),
                lifecycle.policy(),
                lifecycle.policy().keyActionWindowStart(at),
                at);
        return apply(
                rows,
                (row, now) -> lifecycle.qualify(
                        row.id(), row.stage(), row.score(), row.grade(), keyAction.get(row.id()), now));
    }

    /** Recycles the due prospects that have been silent for the period, dated when it fell due; returns how many moved. */
    int recycle(List<Row> due) {
        Lifecycle lifecycle = lifecycle();
        return apply(due, (row, now) -> lifecycle.inactivity(row.id(), row.stage(), row.lastSeen(), row.since(), now));
    }

    /** A user's move, with the reason kept beside the transition. */
    StageChanged manual(long id, LifecycleStage to, String reason, String user) {
        Row row = lock("p.id = ANY(:ids)", List.of(id)).getFirst();
        StageChanged change = lifecycle().manual(id, row.stage(), to, clock.instant(), user);
        write(List.of(row), List.of(change), reason);
        audit.record(AuditEntry.of(
                "prospect",
                id,
                "stage",
                Map.of("stage", row.stage()),
                Map.of("stage", to, "reason", String.valueOf(reason))));
        return change;
    }

    /** Moves these prospects to {@code to} for automation (a rule, a completion action), cause kept; returns how many moved. */
    int automated(Collection<Long> ids, LifecycleStage to, String cause) {
        List<Row> rows = lock("p.id = ANY(:ids)", ids);
        Instant now = clock.instant();
        List<StageChanged> changes = new ArrayList<>();
        for (Row row : rows) {
            if (row.stage() != to) {
                changes.add(new StageChanged(row.id(), row.stage(), to, now, cause));
            }
        }
        write(rows, changes, null);
        return changes.size();
    }

    /**
     * Fires a trigger of the table for these prospects: those whose stage the trigger leaves alone stay; the others
     * move, dated now (not before their previous transition), with the cause. Returns the moves made.
     */
    List<StageChanged> fire(Collection<Long> ids, dev.kindling.engine.lifecycle.Trigger trigger, String cause) {
        return fire(ids, trigger, cause, null);
    }

    /** {@link #fire(Collection, dev.kindling.engine.lifecycle.Trigger, String)} with a user's reason kept beside each move. */
    List<StageChanged> fire(
            Collection<Long> ids, dev.kindling.engine.lifecycle.Trigger trigger, String cause, String reason) {
        Lifecycle lifecycle = lifecycle();
        List<Row> rows = lock("p.id = ANY(:ids)", ids);
        Instant now = clock.instant();
        List<StageChanged> changes = new ArrayList<>();
        for (Row row : rows) {
            lifecycle
                    .move(row.id(), row.stage(), trigger, Lifecycle.transitionTime(now, row.since()), cause)
                    .ifPresent(changes::add);
        }
        write(rows, changes, reason);
        return changes;
    }

    /**
     * These prospects' rows, locked in id order; {@code where} may use {@code :ids}. {@code FOR NO KEY UPDATE}, as
     * intake locks them: a stage move writes no key, so an insert merely referencing the prospect (an activity
     * attributed at accept) does not wait for it; two movers, a merge or an erasure still take turns with it.
     */
    List<Row> lock(String where, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM prospect p " + ProspectRows.DUE_JOIN + " WHERE " + where
                        + " ORDER BY p.id FOR NO KEY UPDATE OF p")
                .param("ids", ids.stream().sorted().distinct().toArray(Long[]::new))
                .query(StageMoves::row)
                .list();
    }

    static Row row(ResultSet rs, int n) throws SQLException {
        Timestamp last = rs.getTimestamp("last_seen");
        Timestamp check = rs.getTimestamp("lifecycle_check_at");
        Timestamp since = rs.getTimestamp("stage_changed_at");
        return new Row(
                rs.getLong("id"),
                LifecycleStage.valueOf(rs.getString("stage")),
                rs.getInt("score"),
                Grade.parse(rs.getString("grade")).orElse(null),
                rs.getString("email"),
                last == null ? null : last.toInstant(),
                check == null ? null : check.toInstant(),
                since == null ? null : since.toInstant());
    }

    private int apply(List<Row> rows, BiFunction<Row, Instant, Optional<StageChanged>> decide) {
        Instant now = clock.instant();
        List<StageChanged> changes = new ArrayList<>();
        for (Row row : rows) {
            decide.apply(row, now).ifPresent(changes::add);
        }
        write(rows, changes, null);
        return changes.size();
    }

    /**
     * Writes the new stages and every row's inactivity check (re-derived from its stage and last activity, so a
     * row the job looked at without moving is rescheduled, never seen again before it is due), then the history.
     */
    private void write(List<Row> rows, List<StageChanged> changes, String reason) {
        Lifecycle lifecycle = lifecycle();
        java.util.Map<Long, LifecycleStage> stages = new java.util.HashMap<>();
        changes.forEach(c -> stages.put(c.prospectId(), c.to()));
        List<Long> ids = new ArrayList<>();
        List<String> newStages = new ArrayList<>();
        List<Timestamp> checks = new ArrayList<>();
        for (Row row : rows) {
            LifecycleStage stage = stages.getOrDefault(row.id(), row.stage());
            Instant check = lifecycle.inactivityCheckAt(stage, row.lastSeen());
            if (stage == row.stage() && Objects.equals(check, row.checkAt())) {
                continue;
            }
            ids.add(row.id());
            newStages.add(stage.name());
            checks.add(check == null ? null : Timestamp.from(check));
        }
        if (!ids.isEmpty()) {
            prospectRows.writeStages(
                    ids.toArray(Long[]::new), newStages.toArray(String[]::new), checks.toArray(Timestamp[]::new));
        }
        history.append(changes, reason);
        if (!ids.isEmpty()) {
            events.publishEvent(new StagesMoved(new java.util.HashSet<>(ids)));
        }
    }
}
