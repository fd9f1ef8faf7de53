package dev.kindling.reports;

import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.platform.database.ReportDatabase;
import dev.kindling.reports.LifecycleFunnel.Funnel;
import dev.kindling.reports.LifecycleFunnel.SegmentFunnel;
import dev.kindling.reports.LifecycleFunnel.Step;
import dev.kindling.reports.LifecycleFunnel.Velocity;
import dev.kindling.reports.LifecycleQuery.Model;
import dev.kindling.reports.LifecycleQuery.View;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Computes the Prospect Lifecycle Report set-based, in statements read in one snapshot: the journeys (one
 * row per prospect of the cohort or flow with the first time it entered each stage, folded into counts,
 * conversions and {@code percentile_cont} medians), the visitors first seen in the period (in the journey statement
 * unless the report is broken down by segment, then a statement of its own), and the current inventory. Stage times
 * are the first-entered times of {@code stage_reached}, stored per prospect in {@code stage_journey}, so a recycled
 * lead still counts as having been an MQL; the visitor time of a prospect is its earliest non-bot visitor's first visit
 * (stored there too).
 *
 * <p>The SQL text is assembled only from the enums of {@link LifecycleQuery}; every value is a bind parameter.
 */
@Component
public class LifecycleReport {

    static final int MAX_SEGMENTS = 100;

    /** The prospect stages, each with its journey column. */
    private static final List<LifecycleStage> REACHED = List.of(
            LifecycleStage.CAPTURED,
            LifecycleStage.ENGAGED,
            LifecycleStage.MQL,
            LifecycleStage.SAL,
            LifecycleStage.SQL,
            LifecycleStage.CUSTOMER,
            LifecycleStage.RECYCLED,
            LifecycleStage.DISQUALIFIED);

    private static final List<LifecycleStage> OFF_PATH = List.of(LifecycleStage.RECYCLED, LifecycleStage.DISQUALIFIED);

    /** A funnel step: the stage whose first-entered time counts, and its name in the report. */
    record StepDefinition(LifecycleStage stage, String label) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    LifecycleReport(ReportDatabase reports, Clock clock) {
        this.jdbc = reports.jdbc();
        this.clock = clock;
    }

    /** The steps of a model, in funnel order. */
    static List<StepDefinition> steps(Model model) {
        return switch (model) {
            case PARDOT ->
                List.of(
                        new StepDefinition(LifecycleStage.ANONYMOUS, "Visitors"),
                        new StepDefinition(LifecycleStage.CAPTURED, "Prospects"),
                        new StepDefinition(LifecycleStage.MQL, "MQL"),
                        new StepDefinition(LifecycleStage.SQL, "Opportunity"),
                        new StepDefinition(LifecycleStage.CUSTOMER, "Won"));
            case STAGES ->
                List.of(
                        new StepDefinition(LifecycleStage.ANONYMOUS, "Visitors (anonymous)"),
                        new StepDefinition(LifecycleStage.CAPTURED, "Captured"),
                        new StepDefinition(LifecycleStage.ENGAGED, "Engaged"),
                        new StepDefinition(LifecycleStage.MQL, "MQL"),
                        new StepDefinition(LifecycleStage.SAL, "SAL"),
                        new StepDefinition(LifecycleStage.SQL, "SQL"),
                        new StepDefinition(LifecycleStage.CUSTOMER, "Customer"));
        };
    }

    /** The report for this query, as of now (run it in {@link ReportDatabase#read}). */
    public LifecycleFunnel run(LifecycleQuery query) {
        List<StepDefinition> steps = steps(query.model());
        Selection selection = Selection.of(query);
        List<LifecycleStage> reached = reached(steps);

        Map<Key, long[]> counts = new HashMap<>();
        Map<Key, Long> visitors = new HashMap<>();
        Map<Key, List<Velocity>> velocities = new HashMap<>();
        Map<Key, long[]> converted = new HashMap<>();
        Map<Key, String> labels = new HashMap<>();
        java.util.Set<Key> seen = new java.util.HashSet<>();
        journeyStatement(query, steps, selection)
                .query((rs, n) -> {
                    Key key = Key.of(rs);
                    labels.put(key, rs.getString("label"));
                    seen.add(key);
                    long[] c = new long[REACHED.size()];
                    for (LifecycleStage stage : reached) {
                        c[REACHED.indexOf(stage)] = rs.getLong("n_" + column(stage));
                    }
                    counts.put(key, c);
                    List<Velocity> v = new ArrayList<>();
                    for (int i = 1; i < steps.size(); i++) {
                        String pair = "v" + i;
                        v.add(new Velocity(
                                steps.get(i - 1).stage().name(),
                                steps.get(i).stage().name(),
                                rs.getLong(pair + "_n"),
                                round(rs, pair + "_median", 100),
                                round(rs, pair + "_mean", 100)));
                    }
                    velocities.put(key, v);
                    long[] through = new long[steps.size()];
                    for (int i = 1; i < steps.size(); i++) {
                        through[i] = rs.getLong("c" + i);
                    }
                    converted.put(key, through);
                    if (!selection.breakdown()) {
                        visitors.put(key, rs.getLong("visitors"));
                    }
                    return key;
                })
                .list();
        if (selection.breakdown()) {
            visitorStatement(query, selection)
                    .query((rs, n) -> {
                        if (!rs.getBoolean("anonymous")) {
                            Key key = Key.of(rs);
                            visitors.put(key, rs.getLong("visitors"));
                            labels.putIfAbsent(key, rs.getString("label"));
                            seen.add(key);
                        }
                        return null;
                    })
                    .list();
        }
        Map<Key, Map<String, Long>> inventory = new HashMap<>();
        inventoryStatement(query, selection)
                .query((rs, n) -> {
                    Key key = Key.of(rs);
                    inventory.computeIfAbsent(key, k -> emptyInventory()).put(rs.getString("stage"), rs.getLong("n"));
                    return null;
                })
                .list();

        Funnel total = funnel(Key.TOTAL, steps, counts, converted, velocities, visitors, inventory);
        List<SegmentFunnel> segments = new ArrayList<>();
        int omitted = 0;
        if (query.isBreakdown()) {
            // segments with something in the period; inventory alone (a "now" figure) does not list a segment
            seen.remove(Key.TOTAL);
            List<SegmentFunnel> all = seen.stream()
                    .map(k -> new SegmentFunnel(
                            k.value(),
                            labels.get(k),
                            funnel(k, steps, counts, converted, velocities, visitors, inventory)))
                    .sorted(Comparator.comparingLong((SegmentFunnel s) ->
                                    -s.funnel().steps().get(1).count())
                            .thenComparing(s -> s.label() == null ? "" : s.label())
                            .thenComparing(s -> s.value() == null ? "" : s.value()))
                    .toList();
            segments.addAll(all.subList(0, Math.min(MAX_SEGMENTS, all.size())));
            omitted = all.size() - segments.size();
        }
        return new LifecycleFunnel(
                query.from(),
                query.to(),
                lower(query.view()),
                lower(query.model()),
                query.segment() == null ? null : lower(query.segment()),
                query.segmentValue(),
                clock.instant(),
                total,
                List.copyOf(segments),
                omitted);
    }

    private static Funnel funnel(
            Key key,
            List<StepDefinition> steps,
            Map<Key, long[]> counts,
            Map<Key, long[]> converted,
            Map<Key, List<Velocity>> velocities,
            Map<Key, Long> visitors,
            Map<Key, Map<String, Long>> inventory) {
        long[] c = counts.getOrDefault(key, new long[REACHED.size()]);
        long[] through = converted.getOrDefault(key, new long[steps.size()]);
        List<Step> out = new ArrayList<>();
        long previous = -1;
        for (int i = 0; i < steps.size(); i++) {
            StepDefinition step = steps.get(i);
            long n = step.stage() == LifecycleStage.ANONYMOUS
                    ? visitors.getOrDefault(key, 0L)
                    : c[REACHED.indexOf(step.stage())];
            out.add(
                    i == 0
                            ? new Step(step.stage().name(), step.label(), n, null, null)
                            : new Step(
                                    step.stage().name(),
                                    step.label(),
                                    n,
                                    through[i],
                                    conversion(previous, through[i], n)));
            previous = n;
        }
        List<Velocity> v = velocities.get(key);
        if (v == null) {
            v = new ArrayList<>();
            for (int i = 1; i < steps.size(); i++) {
                v.add(new Velocity(
                        steps.get(i - 1).stage().name(), steps.get(i).stage().name(), 0, null, null));
            }
        }
        Map<String, Long> offPath = new LinkedHashMap<>();
        for (LifecycleStage stage : OFF_PATH) {
            offPath.put(stage.name(), c[REACHED.indexOf(stage)]);
        }
        return new Funnel(List.copyOf(out), List.copyOf(v), inventory.getOrDefault(key, emptyInventory()), offPath);
    }

    /**
     * The share of the previous step's subjects that went on to this step ({@code through} of them), or null
     * ("n/a") when the previous step counted nobody or when most of this step's {@code count} did not come through
     * the previous step (a hand-raise skipping MQL, imported prospects that never visited): like with like, so never
     * above 100 %.
     */
    static Double conversion(long previous, long through, long count) {
        if (previous <= 0 || 2 * through < count) {
            return null;
        }
        return Math.round(1000.0 * through / previous) / 10.0;
    }

    private static Map<String, Long> emptyInventory() {
        Map<String, Long> inventory = new LinkedHashMap<>();
        for (LifecycleStage stage : REACHED) {
            inventory.put(stage.name(), 0L);
        }
        return inventory;
    }

    // ---- SQL ----------------------------------------------------------------------------------------------

    /** The segment expressions, joins and filter of a query; the prospects selected are {@code pros}. */
    record Selection(String seg, String label, String joins, String filter, boolean breakdown, Object value) {

        static Selection of(LifecycleQuery q) {
            if (q.segment() == null) {
                return new Selection("NULL::text", "NULL::text", "", "true", false, null);
            }
            String seg;
            String label;
            String joins = "";
            String filter;
            Object value = q.segmentValue();
            switch (q.segment()) {
                case SOURCE, INDUSTRY, GRADE -> {
                    String column = "p." + q.segment().name().toLowerCase(Locale.ROOT);
                    seg = column;
                    label = column;
                    filter = column + " = :value";
                }
                case CAMPAIGN -> {
                    seg = "p.campaign_id::text";
                    label = "c.name";
                    joins = "LEFT JOIN campaign c ON c.id = p.campaign_id";
                    filter = "p.campaign_id = :value";
                    value = value == null ? null : Long.parseLong((String) value);
                }
                case OWNER -> {
                    seg = "p.owner_id::text";
                    label = "u.name";
                    joins = "LEFT JOIN app_user u ON u.id = p.owner_id";
                    filter = "p.owner_id = :value";
                    value = value == null ? null : Long.parseLong((String) value);
                }
                case LIST -> {
                    seg = "CAST(:value AS text)";
                    label = "CAST(:value AS text)";
                    filter = "EXISTS (SELECT 1 FROM list_member m WHERE m.prospect_id = p.id AND m.list_id = :value)";
                    value = Long.parseLong((String) value);
                }
                default -> throw new IllegalStateException("unknown segment " + q.segment());
            }
            return q.segmentValue() == null
                    ? new Selection(seg, label, joins, "true", true, null)
                    : new Selection(seg, label, joins, filter, false, value);
        }

        String pros() {
            return """
                    pros AS (
                      SELECT p.id, p.captured_at, p.stage, %s AS seg, %s AS label
                        FROM prospect p %s
                       WHERE %s)""".formatted(seg, label, joins, filter);
        }

        /** The leading columns of every statement: whether the row is the total, the segment value and label. */
        String keyColumns(String alias) {
            return breakdown
                    ? "GROUPING(" + alias + "seg) = 1 AS total, " + alias + "seg AS seg, " + alias + "label AS label"
                    : "true AS total, NULL::text AS seg, NULL::text AS label";
        }

        String groupBy(String alias, String extra) {
            String more = extra.isEmpty() ? "" : ", " + extra;
            return breakdown
                    ? "GROUP BY GROUPING SETS ((" + alias + "seg, " + alias + "label" + more + "), (" + extra + "))"
                    : extra.isEmpty() ? "" : "GROUP BY " + extra;
        }

        JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, LifecycleQuery q) {
            spec = spec.param("start", Timestamp.from(q.start())).param("end", Timestamp.from(q.end()));
            return value == null ? spec : spec.param("value", value);
        }
    }

    /**
     * The stages a report reads from {@code stage_reached}: the model's steps (visitors come from {@code visitor})
     * and the stages off the success path, in {@link #REACHED} order. The Pardot model skips ENGAGED and SAL.
     */
    static List<LifecycleStage> reached(List<StepDefinition> steps) {
        List<LifecycleStage> wanted = new ArrayList<>(OFF_PATH);
        steps.forEach(step -> wanted.add(step.stage()));
        return REACHED.stream().filter(wanted::contains).toList();
    }

    /**
     * One row per subject prospect, read from {@code stage_journey} (V110: the first time in each stage, kept by
     * triggers equal to the pivot of {@code stage_reached} this statement used to compute; V111: the earliest
     * non-bot visit, which it used to aggregate from {@code visitor}), joined to
     * {@code prospect} only when a segment is asked. The flow's subjects are a semi-join ({@code OR id IN}) rather
     * than a {@code UNION}: on a whole-table period the capture test settles almost every row and the hashed
     * sub-plan is never built.
     */
    private JdbcClient.StatementSpec journeyStatement(LifecycleQuery q, List<StepDefinition> steps, Selection s) {
        List<LifecycleStage> reached = reached(steps);
        String subjects = q.view() == View.COHORT ? "j.captured_at >= :start AND j.captured_at < :end" : """
                  (j.captured_at >= :start AND j.captured_at < :end
                          OR j.prospect_id IN (SELECT prospect_id FROM stage_reached
                                       WHERE first_entered_at >= :start AND first_entered_at < :end))""";
        // the prospect's earliest non-bot visit (V111), the Visitors step's time for the first velocity pair
        StringBuilder times = new StringBuilder(", j.t_visit AS t_anonymous");
        for (LifecycleStage stage : reached) {
            times.append(", j.t_").append(column(stage));
        }
        StringBuilder aggregates = new StringBuilder();
        for (LifecycleStage stage : reached) {
            String t = "t_" + column(stage);
            aggregates
                    .append(",\n       ")
                    .append(
                            q.view() == View.COHORT
                                    ? "count(" + t + ")"
                                    : "count(*) FILTER (WHERE " + t + " >= :start AND " + t + " < :end)")
                    .append(" AS n_")
                    .append(column(stage));
        }
        for (int i = 1; i < steps.size(); i++) {
            String a = "t_" + column(steps.get(i - 1).stage());
            String b = "t_" + column(steps.get(i).stage());
            // converted: counted in the previous step (visitors: first visit in the period; cohort: ever reached;
            // flow: entered in the period), then this step at or after it, counted in this step too
            String counted = steps.get(i - 1).stage() == LifecycleStage.ANONYMOUS || q.view() == View.FLOW
                    ? a + " >= :start AND " + a + " < :end"
                    : a + " IS NOT NULL";
            String then =
                    b + " >= " + a + (q.view() == View.FLOW ? " AND " + b + " >= :start AND " + b + " < :end" : "");
            aggregates
                    .append(",\n       count(*) FILTER (WHERE ")
                    .append(counted)
                    .append(" AND ")
                    .append(then)
                    .append(") AS c")
                    .append(i);
            String both = a + " IS NOT NULL AND " + b + " >= " + a
                    + (q.view() == View.FLOW ? " AND " + b + " >= :start AND " + b + " < :end" : "");
            String days = "extract(epoch FROM " + b + " - " + a + ") / 86400.0";
            aggregates
                    .append(",\n       count(*) FILTER (WHERE ")
                    .append(both)
                    .append(") AS v")
                    .append(i)
                    .append("_n")
                    .append(",\n       percentile_cont(0.5) WITHIN GROUP (ORDER BY ")
                    .append(days)
                    .append(") FILTER (WHERE ")
                    .append(both)
                    .append(") AS v")
                    .append(i)
                    .append("_median")
                    .append(",\n       avg(")
                    .append(days)
                    .append(") FILTER (WHERE ")
                    .append(both)
                    .append(") AS v")
                    .append(i)
                    .append("_mean");
        }
        // Without a breakdown the segment columns are never read: no per-prospect aggregate for them, and the
        // period's visitors (one number) come with the journey instead of a statement of their own.
        String segColumns = s.breakdown()
                ? s.seg() + " AS seg, " + s.label() + " AS label"
                : "NULL::text AS seg, NULL::text AS label";
        // the prospect is read only for a segment: its current values, or the filter on one of them
        String prospect = q.segment() == null ? "" : "JOIN prospect p ON p.id = j.prospect_id " + s.joins();
        String visitors = s.breakdown() ? "" : ",\n       (" + visitorCount(q, s) + ") AS visitors";
        String with = s.breakdown() || q.segment() == null ? "" : s.pros() + ",\n";
        String sql = """
                WITH %sjourney AS (
                  SELECT j.prospect_id AS id, %s%s
                    FROM stage_journey j %s
                   WHERE %s AND %s)
                SELECT %s%s%s
                  FROM journey
                 %s""".formatted(
                        with,
                        segColumns,
                        times,
                        prospect,
                        s.filter(),
                        subjects,
                        s.keyColumns(""),
                        aggregates,
                        visitors,
                        s.groupBy("", ""));
        return s.bind(jdbc.sql(sql), q);
    }

    /** The visitors first seen in the period (of the selected prospects, when a segment value is chosen). */
    private static String visitorCount(LifecycleQuery q, Selection s) {
        String join = q.segment() == null ? "" : "JOIN pros pr ON pr.id = v.prospect_id";
        return "SELECT count(*) FROM visitor v " + join
                + " WHERE NOT v.bot AND v.first_seen_at >= :start AND v.first_seen_at < :end";
    }

    private JdbcClient.StatementSpec visitorStatement(LifecycleQuery q, Selection s) {
        String join = q.segment() == null
                ? ""
                : s.breakdown()
                        ? "LEFT JOIN pros pr ON pr.id = v.prospect_id"
                        : "JOIN pros pr ON pr.id = v.prospect_id";
        String anonymous = s.breakdown() ? "coalesce(v.prospect_id IS NULL, false)" : "false";
        String groupBy = s.breakdown() ? "GROUP BY GROUPING SETS ((v.prospect_id IS NULL, pr.seg, pr.label), ())" : "";
        String sql = """
                WITH %s
                SELECT %s, %s AS anonymous, count(*) AS visitors
                  FROM visitor v %s
                 WHERE NOT v.bot AND v.first_seen_at >= :start AND v.first_seen_at < :end
                 %s""".formatted(s.pros(), s.keyColumns("pr."), anonymous, join, groupBy);
        return s.bind(jdbc.sql(sql), q);
    }

    private JdbcClient.StatementSpec inventoryStatement(LifecycleQuery q, Selection s) {
        String sql = """
                WITH %s
                SELECT %s, stage, count(*) AS n
                  FROM pros
                 %s""".formatted(s.pros(), s.keyColumns(""), s.groupBy("", "stage"));
        return s.bind(jdbc.sql(sql), q);
    }

    private static String column(LifecycleStage stage) {
        return stage.name().toLowerCase(Locale.ROOT);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static Double round(ResultSet rs, String column, int scale) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : Math.round(v * scale) / (double) scale;
    }

    /** A row's funnel: the total, or one segment value (null for prospects without a value). */
    record Key(boolean total, String value) {

        static final Key TOTAL = new Key(true, null);

        static Key of(ResultSet rs) throws SQLException {
            return rs.getBoolean("total") ? TOTAL : new Key(false, rs.getString("seg"));
        }
    }
}
