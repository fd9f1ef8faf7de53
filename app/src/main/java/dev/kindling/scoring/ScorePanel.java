package dev.kindling.scoring;

import dev.kindling.platform.security.Role;
import java.time.Clock;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * What the prospect page's score panel shows: the score explained, the chart of score over time and whether the
 * signed-in user may reset, undo or adjust. Called from the {@code scoring/panel} fragment as {@code @scorePanel}.
 */
@Component("scorePanel")
public class ScorePanel {

    /** How many ledger entries the panel lists; the chart reads at most {@value #CHART_HISTORY} of the newest. */
    static final int LISTED = 10;

    static final int CHART_HISTORY = 20_000;

    /** The panel's content; {@code chart} is {@code null} when the ledger is empty. */
    public record Panel(ProspectScores.ScoreView score, ScoreChart chart, boolean resetToUndo, boolean mayChange) {}

    private final ProspectScores scores;
    private final JdbcClient jdbc;
    private final Clock clock;

    ScorePanel(ProspectScores scores, JdbcClient jdbc, Clock clock) {
        this.scores = scores;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Panel of(long prospectId) {
        ProspectScores.ScoreView view = scores.view(prospectId, null, LISTED);
        return new Panel(
                view,
                ScoreChart.of(history(prospectId), clock.instant()),
                resetToUndo(prospectId),
                mayChange(SecurityContextHolder.getContext().getAuthentication()));
    }

    /** The newest {@value #CHART_HISTORY} entries, oldest first. */
    List<ProspectScores.EntryView> history(long prospectId) {
        return jdbc.sql("SELECT * FROM (SELECT " + ProspectScores.ENTRY_COLUMNS + """

                              FROM score_ledger l
                             WHERE l.prospect_id = :id
                             ORDER BY l.id DESC
                             LIMIT :limit) newest
                         ORDER BY id""")
                .param("id", prospectId)
                .param("limit", CHART_HISTORY)
                .query(ProspectScores::entry)
                .list();
    }

    /** Whether there is a reset that was not undone yet (what {@link ProspectScores#undoReset} would undo). */
    boolean resetToUndo(long prospectId) {
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM score_ledger l
                                        WHERE l.prospect_id = :id AND l.kind = 'RESET' AND l.set_to IS NOT NULL
                                          AND NOT EXISTS (SELECT 1 FROM score_ledger u
                                                           WHERE u.prospect_id = l.prospect_id AND u.undoes = l.id))""").param("id", prospectId).query(Boolean.class).single();
    }

    /** Reset, undo and adjust are for administrators and marketing, as on the API. */
    static boolean mayChange(Authentication who) {
        return Role.any(who, Role.ADMIN, Role.MARKETING);
    }
}
