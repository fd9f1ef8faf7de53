package dev.kindling.reports;

import dev.kindling.engine.activity.Activity;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.closedloop.Action;
import dev.kindling.engine.closedloop.ClosedLoop;
import dev.kindling.engine.closedloop.Stats;
import dev.kindling.platform.database.ReportDatabase;
import dev.kindling.scoring.ScoringModels;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The closed-loop report (docs/closed-loop.md): the cohort of prospects captured in the period, loaded set-based (the
 * prospects with outcome, fit, first opportunity and ledger score at it), its actions counted by the database from
 * intake's action summary together with the held-out prospects' activities for the current model's replay
 * ({@link ActionQuery}), analysed by the engine ({@link ClosedLoop}).
 */
@Component
public class ClosedLoopReport {

    /** Lower edges of the score bands (the first band is everything below 25, negative scores included). */
    static final int[] BAND_EDGES = {0, 25, 50, 75, 100, 150};

    private static final TypeReference<Map<String, String>> PROPERTIES = new TypeReference<>() {};

    /** The cohort as a CTE: who, captured when, won, cut where (read once per report, by its first query). */
    static final String COHORT = """
            WITH cohort AS (
                SELECT p.id, p.captured_at, p.grade, p.job_title, p.department,
                       coalesce(p.industry, a.industry) AS industry, coalesce(p.country, a.country) AS country,
                       coalesce(p.employees, a.employees) AS employees,
                       o.first_opportunity_at, coalesce(o.won, false) AS won, coalesce(o.won_amount, 0) AS won_amount,
                       coalesce(o.first_opportunity_at, :end) AS cut
                  FROM prospect p
                  LEFT JOIN account a ON a.id = p.account_id
                  LEFT JOIN LATERAL (
                        SELECT min(op.created_at) AS first_opportunity_at, bool_or(op.status = 'WON') AS won,
                               sum(op.amount) FILTER (WHERE op.status = 'WON') AS won_amount
                          FROM opportunity_contact_role r JOIN opportunity op ON op.id = r.opportunity_id
                         WHERE r.prospect_id = p.id) o ON true
                 WHERE p.captured_at >= :start AND p.captured_at < :end)
            """;

    /** Rows fetched per round trip of the activity cursor. */
    static final int FETCH_SIZE = 5_000;

    /**
     * Memory per sort and hash of the counting statement (its transaction only): with PostgreSQL's default 4 MB the
     * distinct actions of a large cohort spill to disk in dozens of batches.
     */
    static final String WORK_MEM = "64MB";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate cursor;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final ScoringModels models;
    private final ActionQuery actions = new ActionQuery();

    ClosedLoopReport(ReportDatabase reports, JsonMapper json, ScoringModels models) {
        this.jdbc = reports.jdbc();
        JdbcTemplate template = new JdbcTemplate(reports.dataSource());
        template.setFetchSize(FETCH_SIZE);
        this.cursor = new NamedParameterJdbcTemplate(template);
        // SET LOCAL work_mem is allowed in a read-only transaction, on a hot standby too
        this.tx = reports.readOnlyTransaction();
        this.json = json;
        this.models = models;
    }

    /**
     * The API's answer. {@code byGrade} counts each prospect under its grade at the cut (grade history); for
     * {@code gradesBeforeHistory} of them the cut came before their first recorded grade (data older than the
     * history), and they are counted under that first recorded grade.
     */
    public record Report(
            long cohort,
            long won,
            double averageCloseRate,
            List<ActionView> actions,
            List<FitView> fit,
            List<BandView> byScoreBand,
            List<GradeView> byGrade,
            long gradesBeforeHistory,
            Threshold suggestedMqlThreshold,
            ClosedLoop.Validation validation) {}

    /**
     * An action row; {@code rule} is the body for {@code POST /api/v1/scoring-rules} (or, with {@code ruleId}, the
     * existing rule it replaces), {@code null} for the pooled row or when nothing is to change.
     */
    public record ActionView(
            Map<String, Object> action,
            long prospects,
            long won,
            double closeRate,
            Double lift,
            Integer suggestedPoints,
            Integer currentPoints,
            Map<String, Object> rule,
            Long ruleId) {}

    public record FitView(
            String field,
            String value,
            long prospects,
            long won,
            double closeRate,
            Double lift,
            Map<String, Object> criterion) {}

    /** A row of a win-rate table (by score band, by grade): the page shows both through one fragment. */
    public interface WinRate {
        /** How the row is named on the page. */
        String label();

        long prospects();

        long won();

        double winRate();

        BigDecimal averageWonAmount();
    }

    /** Prospects whose ledger score at the cut was in {@code [from, to)} ({@code to} null: no upper bound). */
    public record BandView(int from, Integer to, long prospects, long won, double winRate, BigDecimal averageWonAmount)
            implements WinRate {
        /** "< 25" (the first band, negative scores included), "25 .. 49", "≥ 150". */
        @Override
        public String label() {
            return from == 0 ? "< " + to : to == null ? "≥ " + from : from + " .. " + (to - 1);
        }
    }

    public record GradeView(String grade, long prospects, long won, double winRate, BigDecimal averageWonAmount)
            implements WinRate {
        @Override
        public String label() {
            return grade;
        }
    }

    /** The suggested MQL score (null: none qualifies), the rule used, and the suggested key action. */
    public record Threshold(
            Integer score,
            String rule,
            Double closeRateAtOrAbove,
            Map<String, Object> keyAction,
            String keyActionRule) {}

    private record Row(
            long id,
            Instant capturedAt,
            boolean won,
            BigDecimal wonAmount,
            Instant cut,
            int score,
            String grade,
            boolean gradeBeforeHistory,
            Map<String, String> fit) {}

    public Report run(ClosedLoopQuery q) {
        Timestamp start = Timestamp.from(q.start());
        Timestamp end = Timestamp.from(q.end());
        List<Row> rows = jdbc.sql(COHORT + """
                        SELECT c.*, coalesce(s.result, 0) AS score_at_cut,
                               CASE WHEN g.found THEN g.grade WHEN e.found THEN e.grade ELSE c.grade END AS grade_at_cut,
                               g.found IS NULL AND (e.found OR c.grade IS NOT NULL) AS grade_before_history
                          FROM cohort c
                          LEFT JOIN LATERAL (
                                SELECT l.result FROM score_ledger l
                                 WHERE l.prospect_id = c.id AND l.at < c.cut
                                 ORDER BY l.id DESC LIMIT 1) s ON true
                          LEFT JOIN LATERAL (
                                SELECT h.grade, true AS found FROM grade_history h
                                 WHERE h.prospect_id = c.id AND h.at < c.cut
                                 ORDER BY h.at DESC, h.id DESC LIMIT 1) g ON true
                          LEFT JOIN LATERAL (
                                SELECT h.grade, true AS found FROM grade_history h
                                 WHERE h.prospect_id = c.id
                                 ORDER BY h.at, h.id LIMIT 1) e ON g.found IS NULL
                         ORDER BY c.id""")
                .param("start", start)
                .param("end", end)
                .query((rs, n) -> {
                    Map<String, String> fit = new LinkedHashMap<>();
                    fit.put("industry", rs.getString("industry"));
                    fit.put("country", rs.getString("country"));
                    fit.put("companySize", ClosedLoop.Fit.sizeBand((Integer) rs.getObject("employees")));
                    fit.put("seniority", ClosedLoop.Fit.seniority(rs.getString("job_title")));
                    fit.put("department", rs.getString("department"));
                    fit.values().removeIf(java.util.Objects::isNull);
                    return new Row(
                            rs.getLong("id"),
                            rs.getTimestamp("captured_at").toInstant(),
                            rs.getBoolean("won"),
                            rs.getBigDecimal("won_amount"),
                            rs.getTimestamp("cut").toInstant(),
                            rs.getInt("score_at_cut"),
                            rs.getString("grade_at_cut"),
                            rs.getBoolean("grade_before_history"),
                            fit);
                })
                .list();
        Map<Long, Instant> captured = new HashMap<>();
        rows.forEach(r -> captured.put(r.id(), r.capturedAt()));
        Set<Long> holdout = ClosedLoop.holdout(captured);
        // the cohort read once: the counting statement gets it as arrays; it returns the counts, and the held-out
        // prospects' actions and activities (only theirs cross the wire: the current model is replayed over them)
        List<ActionQuery.Member> members = rows.stream()
                .map(r -> new ActionQuery.Member(r.id(), r.cut(), r.won(), holdout.contains(r.id())))
                .toList();
        ActionQuery.Counted counted = tx.execute(status -> {
            jdbc.sql("SET LOCAL work_mem = '" + WORK_MEM + "'").update();
            return actions.count(cursor, members, q.minProspects(), json);
        });
        Map<Long, List<Activity>> held = counted.heldActivities();
        List<ClosedLoop.Subject> cohort = rows.stream()
                .map(r -> new ClosedLoop.Subject(
                        r.id(),
                        r.capturedAt(),
                        r.won(),
                        counted.heldActions().getOrDefault(r.id(), Set.of()),
                        holdout.contains(r.id()) ? held.getOrDefault(r.id(), List.of()) : List.of(),
                        r.fit(),
                        r.cut()))
                .toList();
        ClosedLoop.Result result = ClosedLoop.analyse(cohort, counted.counts(), q.minProspects(), models.current());

        List<ActionView> actions = new ArrayList<>();
        for (ClosedLoop.ActionRow a : result.actions()) {
            actions.add(new ActionView(
                    describe(a.action()),
                    a.prospects(),
                    a.won(),
                    a.closeRate(),
                    a.lift(),
                    a.suggestedPoints(),
                    a.currentPoints(),
                    a.rule(),
                    a.ruleId()));
        }
        ClosedLoop.Pooled p = result.pooled();
        if (p.actions() > 0) {
            Map<String, Object> pooled = new LinkedHashMap<>();
            pooled.put("type", "POOLED");
            pooled.put("actions", p.actions());
            pooled.put("label", p.actions() + " actions done by fewer than " + q.minProspects() + " prospects each");
            actions.add(
                    new ActionView(pooled, p.prospects(), p.won(), p.closeRate(), p.lift(), null, null, null, null));
        }
        List<FitView> fit = result.fit().stream()
                .map(f -> new FitView(
                        f.field(), f.value(), f.prospects(), f.won(), f.closeRate(), f.lift(), f.criterion()))
                .toList();

        List<BandView> bands = bands(rows);
        List<Stats.Band> forThreshold = bands.stream()
                .map(b -> new Stats.Band(b.from(), b.prospects(), b.won()))
                .toList();
        Integer threshold = Stats.threshold(forThreshold, result.averageCloseRate(), q.minProspects());
        Double atOrAbove = null;
        if (threshold != null) {
            long n = rows.stream().filter(r -> r.score() >= threshold).count();
            long w =
                    rows.stream().filter(r -> r.score() >= threshold && r.won()).count();
            atOrAbove = Stats.closeRate(w, n);
        }
        String rule = String.format(
                java.util.Locale.ROOT,
                "The lowest band edge such that prospects whose score "
                        + "(from the ledger, when their first opportunity was created) was at or above it close at least "
                        + "%.0f× the cohort's average (%.1f %%), and at least %d of them.",
                Stats.THRESHOLD_LIFT,
                100 * result.averageCloseRate(),
                q.minProspects());
        ClosedLoop.ActionRow key = result.actions().stream()
                .filter(a -> a.lift() != null && a.lift() >= Stats.THRESHOLD_LIFT)
                .findFirst()
                .orElse(null);
        Threshold suggested = new Threshold(
                threshold,
                rule,
                atOrAbove,
                key == null ? null : describe(key.action()),
                "The action of highest lift among those shown, if it closes at least "
                        + (int) Stats.THRESHOLD_LIFT + "× the average: the MQL definition becomes the ideal profile"
                        + " and this action.");
        return new Report(
                result.cohort(),
                result.won(),
                result.averageCloseRate(),
                actions,
                fit,
                bands,
                grades(rows),
                rows.stream().filter(Row::gradeBeforeHistory).count(),
                suggested,
                result.validation());
    }

    /** The activity of a streamed row, or {@code null} for a type this version does not know. */
    static Activity activity(java.sql.ResultSet rs, String idColumn, JsonMapper json) throws java.sql.SQLException {
        return activity(rs, idColumn, properties(json));
    }

    /** The reader of an activity's properties: made once per statement, not per row (the type is resolved once). */
    static tools.jackson.databind.ObjectReader properties(JsonMapper json) {
        return json.readerFor(PROPERTIES);
    }

    /** {@link #activity(java.sql.ResultSet, String, JsonMapper)} with the properties' reader given. */
    static Activity activity(java.sql.ResultSet rs, String idColumn, tools.jackson.databind.ObjectReader properties)
            throws java.sql.SQLException {
        ActivityType type = ActivityType.parse(rs.getString("type"));
        return type == null
                ? null
                : new Activity(
                        rs.getLong(idColumn),
                        type,
                        rs.getString("custom_name"),
                        rs.getTimestamp("occurred_at").toInstant(),
                        (Long) rs.getObject("campaign_id"),
                        properties.<Map<String, String>>readValue(rs.getString("properties")),
                        false);
    }

    /** The action as JSON: its type, its facet (name → value) or band, and a label. */
    static Map<String, Object> describe(Action a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", a.type().name());
        if (a.band()) {
            m.put("atLeast", a.atLeast());
            m.put("withinDays", a.withinDays());
        } else if (a.facet() != null) {
            m.put(a.facet(), a.facet().equals("campaignId") ? (Object) Long.valueOf(a.value()) : a.value());
        }
        m.put("label", a.label());
        return m;
    }

    private static List<BandView> bands(List<Row> rows) {
        List<BandView> bands = new ArrayList<>();
        for (int i = 0; i < BAND_EDGES.length; i++) {
            int from = BAND_EDGES[i];
            Integer to = i + 1 < BAND_EDGES.length ? BAND_EDGES[i + 1] : null;
            List<Row> in = rows.stream()
                    .filter(r -> (from == 0 || r.score() >= from) && (to == null || r.score() < to))
                    .toList();
            long won = in.stream().filter(Row::won).count();
            bands.add(new BandView(from, to, in.size(), won, Stats.closeRate(won, in.size()), averageWon(in)));
        }
        return bands;
    }

    private static List<GradeView> grades(List<Row> rows) {
        Map<String, List<Row>> byGrade = new TreeMap<>();
        for (Row r : rows) {
            byGrade.computeIfAbsent(r.grade() == null ? "(ungraded)" : r.grade(), k -> new ArrayList<>())
                    .add(r);
        }
        List<GradeView> grades = new ArrayList<>();
        byGrade.forEach((grade, in) -> {
            long won = in.stream().filter(Row::won).count();
            grades.add(new GradeView(grade, in.size(), won, Stats.closeRate(won, in.size()), averageWon(in)));
        });
        grades.sort(java.util.Comparator.comparing((GradeView g) -> dev.kindling.engine.grading.Grade.parse(g.grade())
                        .map(Enum::ordinal)
                        .orElse(-1))
                .reversed());
        return grades;
    }

    /** The won prospects' average won amount (their won opportunities' amounts summed), or null with none won. */
    private static BigDecimal averageWon(List<Row> rows) {
        List<Row> won = rows.stream().filter(Row::won).toList();
        if (won.isEmpty()) {
            return null;
        }
        BigDecimal sum = won.stream().map(Row::wonAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return sum.divide(BigDecimal.valueOf(won.size()), 2, RoundingMode.HALF_UP);
    }
}
