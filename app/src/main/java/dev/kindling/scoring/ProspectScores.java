package dev.kindling.scoring;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.engine.scoring.Decay;
import dev.kindling.engine.scoring.LedgerEntry;
import dev.kindling.engine.scoring.ScoreActions;
import dev.kindling.engine.scoring.ScoreState;
import dev.kindling.engine.scoring.ScoringModel;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.prospects.ProspectRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A prospect's score explained (breakdown and ledger), and what people do to it: reset, undo, adjust. */
@Component
public class ProspectScores {

    private final AuditLog audit;

    public static final int MAX_PAGE = 200;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ScoreStore store;
    private final ScoringModels models;

    ProspectScores(JdbcClient jdbc, Clock clock, ScoreStore store, ScoringModels models, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
        this.store = store;
        this.models = models;
    }

    /** The score, what made it (per rule, per category, per kind of entry) and a page of the ledger, newest first. */
    public record ScoreView(
            long prospectId,
            int score,
            Instant nextDecayAt,
            List<RulePoints> byRule,
            List<CategoryPoints> byCategory,
            Map<String, Long> byKind,
            List<EntryView> ledger,
            Long nextBefore) {}

    /** The ACTIVITY points a rule gave; {@code name} is {@code null} when the rule was deleted since. */
    public record RulePoints(long ruleId, String name, String category, long points, long entries) {}

    /** The ACTIVITY points of the rules of one category ({@code null}: rules without one). */
    public record CategoryPoints(String category, long points) {}

    /**
     * One ledger entry as shown. {@code at} is the ledger's own date (an ACTIVITY entry's processing time, a decay's
     * due time); {@code occurredAt} is when it happened: the activity's occurrence for ACTIVITY entries, else
     * {@code at} — what the score chart and the list are dated by (imported history is processed all at once).
     */
    public record EntryView(
            long id,
            String kind,
            Instant at,
            int delta,
            Integer setTo,
            int result,
            Long ruleId,
            Long activityId,
            String reason,
            Long undoes,
            Instant occurredAt) {

        /** Whether it was processed noticeably later than it happened (a back-dated or imported activity). */
        public boolean processedLater() {
            return at.isAfter(occurredAt.plusSeconds(60));
        }
    }

    /**
     * The columns {@link #entry} reads, over {@code score_ledger l}. An entry's occurrence is its own {@code
     * occurred_at} (ACTIVITY entries since V620); only an older ACTIVITY entry looks its activity up by id, which
     * reads every partition of {@code activity} (docs/scaling.md, "Partitioned history"), and an entry of another
     * kind or whose activity is gone is dated by {@code at}.
     */
    static final String ENTRY_COLUMNS = """
            l.id, l.kind, l.at, l.delta, l.set_to, l.result, l.rule_id, l.activity_id, l.reason, l.undoes,
            coalesce(l.occurred_at, (SELECT a.occurred_at FROM activity a WHERE a.id = l.activity_id), l.at)
                AS occurred_at""";

    public ScoreView view(long prospectId, Long before, int limit) {
        Map<String, Object> p = jdbc.sql("SELECT p.score, d.next_decay_at FROM prospect p " + ProspectRows.DUE_JOIN
                        + " WHERE p.id = :id")
                .param("id", prospectId)
                .query((rs, n) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("score", rs.getInt(1));
                    m.put(
                            "next",
                            rs.getTimestamp(2) == null
                                    ? null
                                    : rs.getTimestamp(2).toInstant());
                    return m;
                })
                .optional()
                .orElseThrow(() -> new NotFoundException("No prospect " + prospectId));
        List<RulePoints> byRule = jdbc.sql("""
                        SELECT l.rule_id, r.name, r.category, sum(l.delta) AS points, count(*) AS entries
                          FROM score_ledger l LEFT JOIN scoring_rule r ON r.id = l.rule_id
                         WHERE l.prospect_id = :id AND l.kind = 'ACTIVITY'
                         GROUP BY l.rule_id, r.name, r.category
                         ORDER BY sum(l.delta) DESC, l.rule_id""")
                .param("id", prospectId)
                .query((rs, n) ->
                        new RulePoints(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)))
                .list();
        Map<String, Long> categories = new LinkedHashMap<>();
        byRule.forEach(r -> categories.merge(r.category() == null ? "" : r.category(), r.points(), Long::sum));
        List<CategoryPoints> byCategory = new ArrayList<>();
        categories.forEach((c, pts) -> byCategory.add(new CategoryPoints(c.isEmpty() ? null : c, pts)));
        Map<String, Long> byKind = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT kind, sum(delta) FROM score_ledger WHERE prospect_id = :id GROUP BY kind ORDER BY kind""")
                .param("id", prospectId)
                .query((rs, n) -> byKind.put(rs.getString(1), rs.getLong(2)))
                .list();
        List<EntryView> ledger = jdbc.sql("SELECT " + ENTRY_COLUMNS + """

                          FROM score_ledger l
                         WHERE l.prospect_id = :id AND l.id < :before
                         ORDER BY l.id DESC
                         LIMIT :limit""")
                .param("id", prospectId)
                .param("before", before == null ? Long.MAX_VALUE : before)
                .param("limit", limit + 1)
                .query(ProspectScores::entry)
                .list();
        Long next = null;
        if (ledger.size() > limit) {
            ledger = ledger.subList(0, limit);
            next = ledger.getLast().id();
        }
        return new ScoreView(
                prospectId,
                (Integer) p.get("score"),
                (Instant) p.get("next"),
                byRule,
                byCategory,
                byKind,
                List.copyOf(ledger),
                next);
    }

    /** The longest {@link #explanations} text: a Salesforce text field holds 255 characters. */
    public static final int EXPLANATION_LENGTH = 255;

    /**
     * Each prospect's score explained in one line, for a system that shows only text (the Salesforce field the admin
     * maps): the score, then the points per rule, largest first, with how many entries gave them, then the other
     * kinds of change (decay, reset, manual …) — e.g. {@code Score 63: Form submission +50, Page view +8 (8x); decay
     * -1}. The parts add up to the score (a ledger entry's delta is its effective change). At most
     * {@link #EXPLANATION_LENGTH} characters: the rules that do not fit are summed as "N more rules". One query for all
     * the prospects; a prospect with no ledger entry reads {@code Score 0}.
     */
    public Map<Long, String> explanations(java.util.Collection<Long> prospectIds) {
        record Part(long prospectId, String kind, Long ruleId, String name, long points, long entries) {}
        Map<Long, List<Part>> parts = new LinkedHashMap<>();
        if (prospectIds.isEmpty()) {
            return Map.of();
        }
        jdbc.sql("""
                        SELECT l.prospect_id, l.kind, l.rule_id, r.name, sum(l.delta) AS points, count(*) AS entries
                          FROM score_ledger l LEFT JOIN scoring_rule r ON r.id = l.rule_id
                         WHERE l.prospect_id = ANY(:ids)
                         GROUP BY l.prospect_id, l.kind, l.rule_id, r.name
                         ORDER BY l.prospect_id, sum(l.delta) DESC, l.kind, l.rule_id""")
                .param("ids", prospectIds.toArray(Long[]::new))
                .query((rs, n) -> new Part(
                        rs.getLong(1),
                        rs.getString(2),
                        (Long) rs.getObject(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getLong(6)))
                .list()
                .forEach(p -> parts.computeIfAbsent(p.prospectId(), k -> new ArrayList<>())
                        .add(p));
        Map<Long, String> out = new LinkedHashMap<>();
        for (Long id : prospectIds) {
            List<Part> of = parts.getOrDefault(id, List.of());
            long score = of.stream().mapToLong(Part::points).sum();
            List<String> rules = new ArrayList<>();
            List<Long> rulePoints = new ArrayList<>();
            List<String> others = new ArrayList<>();
            for (Part p : of) {
                if (p.points() == 0) {
                    continue;
                }
                if (p.kind().equals("ACTIVITY")) {
                    rules.add((p.name() == null ? "a deleted rule" : p.name()) + " " + signed(p.points())
                            + (p.entries() > 1 ? " (" + p.entries() + "x)" : ""));
                    rulePoints.add(p.points());
                } else {
                    others.add(p.kind().toLowerCase(java.util.Locale.ROOT) + " " + signed(p.points()));
                }
            }
            String head = "Score " + score;
            String tail = others.isEmpty() ? "" : "; " + String.join(", ", others);
            StringBuilder text = new StringBuilder(head);
            for (int i = 0; i < rules.size(); i++) {
                String separator = i == 0 ? ": " : ", ";
                String rest = i + 1 < rules.size() ? ", " + more(rulePoints, i + 1) : "";
                if (text.length() + separator.length() + rules.get(i).length() + rest.length() + tail.length()
                        > EXPLANATION_LENGTH) {
                    text.append(separator).append(more(rulePoints, i));
                    break;
                }
                text.append(separator).append(rules.get(i));
            }
            text.append(tail);
            out.put(
                    id,
                    text.length() > EXPLANATION_LENGTH
                            ? text.substring(0, EXPLANATION_LENGTH - 1) + "…"
                            : text.toString());
        }
        return out;
    }

    /** The rules from {@code from} on, summed: "3 more rules +7". */
    private static String more(List<Long> rulePoints, int from) {
        int n = rulePoints.size() - from;
        long sum = rulePoints.subList(from, rulePoints.size()).stream()
                .mapToLong(Long::longValue)
                .sum();
        return n + (n == 1 ? " more rule " : " more rules ") + signed(sum);
    }

    private static String signed(long points) {
        return points >= 0 ? "+" + points : Long.toString(points);
    }

    static EntryView entry(ResultSet rs, int row) throws SQLException {
        return new EntryView(
                rs.getLong("id"),
                rs.getString("kind"),
                rs.getTimestamp("at").toInstant(),
                rs.getInt("delta"),
                (Integer) rs.getObject("set_to"),
                rs.getInt("result"),
                (Long) rs.getObject("rule_id"),
                (Long) rs.getObject("activity_id"),
                rs.getString("reason"),
                (Long) rs.getObject("undoes"),
                rs.getTimestamp("occurred_at").toInstant());
    }

    @Transactional
    public void reset(long prospectId, String user) {
        ScoreState state = locked(prospectId);
        ScoringModel model = models.current();
        record(prospectId, ScoreActions.reset(state, model, clock.instant(), "reset by " + user), "score_reset", state);
    }

    /** Undoes the latest reset that was not undone yet; 409 when there is none. */
    @Transactional
    public void undoReset(long prospectId, String user) {
        ScoreState state = locked(prospectId);
        EntryView reset = jdbc.sql("SELECT " + ENTRY_COLUMNS + """

                          FROM score_ledger l
                         WHERE l.prospect_id = :id AND l.kind = 'RESET' AND l.set_to IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM score_ledger u
                                            WHERE u.prospect_id = l.prospect_id AND u.undoes = l.id)
                         ORDER BY l.id DESC
                         LIMIT 1""")
                .param("id", prospectId)
                .query(ProspectScores::entry)
                .optional()
                .orElseThrow(() -> new ConflictException("There is no reset to undo"));
        LedgerEntry entry = new LedgerEntry(
                LedgerEntry.Kind.RESET,
                reset.at(),
                reset.delta(),
                reset.setTo(),
                reset.result(),
                null,
                null,
                reset.reason(),
                null);
        record(
                prospectId,
                ScoreActions.undoReset(
                        state,
                        models.current(),
                        reset.id(),
                        entry,
                        clock.instant(),
                        "undo of reset " + reset.id() + " by " + user),
                "score_undo_reset",
                state);
    }

    @Transactional
    public void adjust(long prospectId, int delta, String reason, String user) {
        ScoreState state = locked(prospectId);
        record(
                prospectId,
                ScoreActions.adjust(
                        state,
                        models.current(),
                        LedgerEntry.Kind.MANUAL,
                        delta,
                        clock.instant(),
                        reason + " (by " + user + ")"),
                "score_adjust",
                state);
    }

    /**
     * Automation's change of many scores at once: {@code delta} points, or (when {@code setTo} is given) the score set
     * to it — AUTOMATION ledger entries, one lock, one update and one ledger insert for all of them.
     */
    @Transactional
    public void automate(java.util.Collection<Long> prospectIds, int delta, Integer setTo, String reason) {
        automateAll(List.of(new Automation(prospectIds, delta, setTo, reason)));
    }

    /** One automated score change for some prospects: add {@code delta}, or set to {@code setTo} when not null. */
    public record Automation(java.util.Collection<Long> prospectIds, int delta, Integer setTo, String reason) {}

    /**
     * Several automated changes (several rules' score actions) as if {@link #automate} ran for each in order, in a
     * fixed number of statements: the prospects locked once, each change applied to the state the previous ones left,
     * the states written once and every ledger entry appended once.
     */
    public void automateAll(List<Automation> automations) {
        java.util.Set<Long> all = new java.util.TreeSet<>();
        automations.forEach(a -> all.addAll(a.prospectIds()));
        Map<Long, ScoreState> states = new java.util.TreeMap<>(store.lock(all));
        ScoringModel model = models.current();
        Instant now = clock.instant();
        List<ScoreStore.Entry> entries = new ArrayList<>();
        for (Automation a : automations) {
            for (Long id : new java.util.TreeSet<>(a.prospectIds())) {
                ScoreState state = states.get(id);
                if (state == null) {
                    continue;
                }
                Decay.Scored scored = a.setTo() != null
                        ? ScoreActions.set(state, model, LedgerEntry.Kind.AUTOMATION, a.setTo(), now, a.reason())
                        : ScoreActions.adjust(state, model, LedgerEntry.Kind.AUTOMATION, a.delta(), now, a.reason());
                states.put(id, scored.state());
                scored.entries().forEach(e -> entries.add(new ScoreStore.Entry(id, e)));
            }
        }
        store.writeStates(new ArrayList<>(states.keySet()), new ArrayList<>(states.values()));
        store.append(entries);
    }

    private ScoreState locked(long prospectId) {
        ScoreState state = store.lock(List.of(prospectId)).get(prospectId);
        if (state == null) {
            throw new NotFoundException("No prospect " + prospectId);
        }
        return state;
    }

    private void record(long prospectId, Decay.Scored scored) {
        store.writeStates(List.of(prospectId), List.of(scored.state()));
        store.append(scored.entries().stream()
                .map(e -> new ScoreStore.Entry(prospectId, e))
                .toList());
    }

    /** A change by hand: written like any other, and recorded in the audit log with the score before and after. */
    private void record(long prospectId, Decay.Scored scored, String action, ScoreState before) {
        record(prospectId, scored);
        audit.record(AuditEntry.of(
                "prospect",
                prospectId,
                action,
                Map.of("score", before.value()),
                Map.of("score", scored.state().value(), "ledger", scored.entries())));
    }
}
