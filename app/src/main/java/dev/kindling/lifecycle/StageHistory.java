package dev.kindling.lifecycle;

import dev.kindling.engine.intake.IntakeEvent.StageChanged;
import dev.kindling.prospects.ProspectsCaptured;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The record of stage changes: every transition (from, to, at, cause) and, apart from it, the first time each
 * stage was reached — which a later move back (recycling) never erases, and which an earlier-dated entry (back-dated
 * history) lowers. Written in batch, one statement each; then {@link StagesEntered} is published in the same
 * transaction.
 */
@Component
public class StageHistory {

    /**
     * SQL for the time of the last transition (or the capture) of the prospect {@code p}, before which no new
     * transition is dated: from the prospect's row, whose {@code stage_changed_at} a trigger on {@code
     * stage_transition} keeps (migration V690), not from the transitions, whose month partitions would each be probed.
     */
    public static final String STAGE_CHANGED_AT = "greatest(p.captured_at, p.stage_changed_at)";

    /** One recorded transition; {@code causeKind} is the part of the cause before the colon. */
    public record Transition(String from, String to, Instant at, String cause, String causeKind, String reason) {}

    /** A stage reached and when it was first entered. */
    public record Reached(String stage, Instant firstEnteredAt) {}

    /** A prospect's current stage, its transitions oldest first and the stages it reached, in order. */
    public record View(long prospectId, String stage, List<Transition> transitions, List<Reached> reached) {}

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    StageHistory(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** The first transition (→ CAPTURED) and the first stage reached of new prospects, dated at their capture. */
    @EventListener
    void on(ProspectsCaptured captured) {
        Map<Long, Instant> capturedAt = captured.capturedAt();
        Long[] ids = capturedAt.keySet().stream().sorted().toArray(Long[]::new);
        Timestamp[] ats =
                Arrays.stream(ids).map(id -> Timestamp.from(capturedAt.get(id))).toArray(Timestamp[]::new);
        jdbc.sql("""
                        INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause)
                        SELECT id, NULL, 'CAPTURED', at, :cause
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:ats AS timestamptz[])) AS t(id, at)""")
                .param("ids", ids)
                .param("ats", ats)
                .param("cause", captured.cause())
                .update();
        jdbc.sql("""
                        INSERT INTO stage_reached (prospect_id, stage, first_entered_at)
                        SELECT id, 'CAPTURED', at FROM unnest(CAST(:ids AS bigint[]), CAST(:ats AS timestamptz[])) AS t(id, at)
                        ON CONFLICT DO NOTHING""").param("ids", ids).param("ats", ats).update();
    }

    /** Records these changes: one INSERT for the transitions, one for the stages reached (first time only). */
    public void append(List<StageChanged> changes) {
        append(changes, null);
    }

    void append(List<StageChanged> changes, String reason) {
        if (changes.isEmpty()) {
            return;
        }
        int n = changes.size();
        Long[] ids = new Long[n];
        String[] from = new String[n];
        String[] to = new String[n];
        Timestamp[] at = new Timestamp[n];
        String[] cause = new String[n];
        for (int i = 0; i < n; i++) {
            StageChanged c = changes.get(i);
            ids[i] = c.prospectId();
            from[i] = c.from() == null ? null : c.from().name();
            to[i] = c.to().name();
            at[i] = Timestamp.from(c.at());
            cause[i] = c.cause();
        }
        jdbc.sql("""
                        INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause, reason)
                        SELECT u.*, :reason FROM unnest(CAST(:ids AS bigint[]), CAST(:from AS text[]), CAST(:to AS text[]),
                                             CAST(:at AS timestamptz[]), CAST(:cause AS text[])) AS u""")
                .param("ids", ids)
                .param("from", from)
                .param("to", to)
                .param("at", at)
                .param("cause", cause)
                .param("reason", reason)
                .update();
        jdbc.sql("""
                        INSERT INTO stage_reached (prospect_id, stage, first_entered_at)
                        SELECT id, stage, min(at)
                          FROM unnest(CAST(:ids AS bigint[]), CAST(:to AS text[]), CAST(:at AS timestamptz[]))
                               AS u(id, stage, at)
                         GROUP BY id, stage
                         ORDER BY id, stage
                        ON CONFLICT (prospect_id, stage)
                        DO UPDATE SET first_entered_at = least(stage_reached.first_entered_at, EXCLUDED.first_entered_at)
                         WHERE EXCLUDED.first_entered_at < stage_reached.first_entered_at""").param("ids", ids).param("to", to).param("at", at).update();
        events.publishEvent(new StagesEntered(changes));
    }

    /** The stage history of a prospect, or empty when there is no such prospect. */
    public Optional<View> view(long prospectId) {
        Optional<String> stage = jdbc.sql("SELECT stage FROM prospect WHERE id = :id")
                .param("id", prospectId)
                .query(String.class)
                .optional();
        if (stage.isEmpty()) {
            return Optional.empty();
        }
        List<Transition> transitions = jdbc.sql("""
                        SELECT from_stage, to_stage, at, cause, reason FROM stage_transition
                         WHERE prospect_id = :id ORDER BY at, id""")
                .param("id", prospectId)
                .query((rs, n) -> {
                    String cause = rs.getString("cause");
                    int colon = cause.indexOf(':');
                    return new Transition(
                            rs.getString("from_stage"),
                            rs.getString("to_stage"),
                            rs.getTimestamp("at").toInstant(),
                            cause,
                            colon < 0 ? cause : cause.substring(0, colon),
                            rs.getString("reason"));
                })
                .list();
        List<Reached> reached = jdbc.sql("""
                        SELECT stage, first_entered_at FROM stage_reached
                         WHERE prospect_id = :id ORDER BY first_entered_at, stage""")
                .param("id", prospectId)
                .query((rs, n) ->
                        new Reached(rs.getString(1), rs.getTimestamp(2).toInstant()))
                .list();
        return Optional.of(new View(prospectId, stage.get(), transitions, reached));
    }
}
