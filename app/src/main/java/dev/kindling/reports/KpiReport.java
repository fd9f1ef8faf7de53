package dev.kindling.reports;

import dev.kindling.platform.database.ReportDatabase;
import dev.kindling.reports.KpiDashboard.Asset;
import dev.kindling.reports.KpiDashboard.Figure;
import dev.kindling.reports.KpiDashboard.Kpi;
import dev.kindling.reports.KpiQuery.Span;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Computes the KPI dashboard set-based, in two statements read in one snapshot whatever the period: every KPI over
 * all fourteen spans at once (the period, the previous one, the twelve trend periods: each aggregate joins the spans
 * to its table by a range on an indexed time), and the assets touched before the MQLs of the period and the previous
 * one. Stage times come from the stored journeys ({@code stage_journey}) with the lifecycle report's definitions, so
 * the two agree (docs/reports.md, "KPI dashboard").
 */
@Component
public class KpiReport {

    static final int MAX_ASSETS = 20;

    /** The spans as a table {@code w(i, s, e)}: i from 1 in {@link KpiQuery#spans()} order, s and e the instants. */
    private static final String SPANS = """
            w AS (
              SELECT x.i::int AS i, x.s, x.e
                FROM unnest(CAST(string_to_array(:starts, ',') AS timestamptz[]),
                            CAST(string_to_array(:ends, ',') AS timestamptz[])) WITH ORDINALITY AS x(s, e, i)
               WHERE x.i <= :spans)""";

    private static final String KPIS = """
            WITH %s,{PROS}
            ends AS (SELECT array_agg(DISTINCT e ORDER BY e) AS a FROM w),
            cap AS (SELECT w.i, count(*) AS n, count(*) FILTER (WHERE j.t_mql >= j.t_captured) AS to_mql,
                           count(*) FILTER (WHERE j.t_customer >= j.t_captured) AS to_won
                      FROM w JOIN stage_journey j ON j.captured_at >= w.s AND j.captured_at < w.e
                     WHERE {J} GROUP BY w.i),
            mql AS (SELECT w.i, count(*) AS n, count(*) FILTER (WHERE j.t_sal >= j.t_mql) AS to_sal,
                           count(*) FILTER (WHERE j.t_sql >= j.t_mql) AS to_opp
                      FROM w JOIN stage_journey j ON j.t_mql >= w.s AND j.t_mql < w.e WHERE {J} GROUP BY w.i),
            visit AS (SELECT w.i, count(*) AS n
                        FROM w JOIN stage_journey j ON j.t_visit >= w.s AND j.t_visit < w.e
                       WHERE j.t_visit <= j.t_captured AND {J} GROUP BY w.i),
            visitors AS (SELECT w.i, count(*) AS n
                           FROM w JOIN visitor v ON v.first_seen_at >= w.s AND v.first_seen_at < w.e
                          WHERE NOT v.bot AND {V} GROUP BY w.i),
            lead AS (SELECT w.i, count(*) AS n,
                            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM j.t_customer - j.t_captured) / 86400.0) AS median
                       FROM w JOIN stage_journey j ON j.t_customer >= w.s AND j.t_customer < w.e
                      WHERE j.t_customer >= j.t_captured AND {J} GROUP BY w.i),
            hist AS (SELECT width_bucket(j.captured_at, (SELECT a FROM ends)) AS b, count(*) AS n
                       FROM stage_journey j WHERE {J} GROUP BY 1),
            base AS (SELECT w.i, coalesce(sum(h.n), 0) AS n
                       FROM w CROSS JOIN ends LEFT JOIN hist h ON h.b < array_position(ends.a, w.e) GROUP BY w.i),
            active AS (SELECT w.i, count(DISTINCT l.prospect_id) AS n
                         FROM w JOIN score_ledger l ON coalesce(l.occurred_at, l.at) >= w.e - interval '30 days'
                                                   AND coalesce(l.occurred_at, l.at) < w.e
                         JOIN stage_journey j ON j.prospect_id = l.prospect_id AND j.captured_at < w.e
                        WHERE l.kind = 'ACTIVITY' AND {J} GROUP BY w.i),
            opp AS (SELECT w.i, count(*) AS n, count(*) FILTER (WHERE o.status = 'WON') AS won
                      FROM w JOIN opportunity o ON o.created_at >= w.s AND o.created_at < w.e WHERE {O} GROUP BY w.i),
            cycle AS (SELECT w.i, count(*) AS n,
                             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.closed_at - o.created_at) / 86400.0) AS median
                        FROM w JOIN opportunity o ON o.closed_at >= w.s AND o.closed_at < w.e
                       WHERE o.status = 'WON' AND {O} GROUP BY w.i),
            camp AS (SELECT c.cost, c.first, greatest(c.last, c.first) AS last
                       FROM (SELECT cost, coalesce(start_date, (created_at AT TIME ZONE 'UTC')::date) AS first,
                                    coalesce(end_date, start_date, (created_at AT TIME ZONE 'UTC')::date) AS last
                               FROM campaign WHERE cost > 0 AND {C}) c),
            cost AS (SELECT w.i, sum(c.cost * (least(c.last, (w.e AT TIME ZONE 'UTC')::date - 1)
                                               - greatest(c.first, (w.s AT TIME ZONE 'UTC')::date) + 1)
                                   / (c.last - c.first + 1)) AS cost
                       FROM w JOIN camp c ON c.first < (w.e AT TIME ZONE 'UTC')::date
                                         AND c.last >= (w.s AT TIME ZONE 'UTC')::date GROUP BY w.i),
            mail AS (SELECT w.i, count(*) AS n,
                            count(*) FILTER (WHERE m.opened_at IS NOT NULL OR m.clicked_at IS NOT NULL) AS opened,
                            count(*) FILTER (WHERE m.clicked_at IS NOT NULL) AS clicked
                       FROM w JOIN email_message m ON m.created_at >= w.s AND m.created_at < w.e
                      WHERE m.status = 'SENT' AND {M} GROUP BY w.i)
            SELECT w.i, (SELECT monthly_mql_target FROM sales_settings) AS target,
                   coalesce(visitors.n, 0) AS visitors, coalesce(visit.n, 0) AS visited,
                   coalesce(cap.n, 0) AS captured, coalesce(cap.to_mql, 0) AS cap_mql, coalesce(cap.to_won, 0) AS cap_won,
                   coalesce(mql.n, 0) AS mqls, coalesce(mql.to_sal, 0) AS mql_sal, coalesce(mql.to_opp, 0) AS mql_opp,
                   coalesce(active.n, 0) AS active, base.n AS base,
                   coalesce(opp.n, 0) AS opps, coalesce(opp.won, 0) AS opp_won,
                   coalesce(cycle.n, 0) AS won, cycle.median AS cycle_median,
                   coalesce(lead.n, 0) AS customers, lead.median AS lead_median,
                   CASE WHEN {COSTED} THEN coalesce(cost.cost, 0) END AS cost,
                   coalesce(mail.n, 0) AS sent, coalesce(mail.opened, 0) AS opened, coalesce(mail.clicked, 0) AS clicked
              FROM w LEFT JOIN cap USING (i) LEFT JOIN mql USING (i) LEFT JOIN visit USING (i)
                     LEFT JOIN visitors USING (i) LEFT JOIN lead USING (i) LEFT JOIN base USING (i)
                     LEFT JOIN active USING (i) LEFT JOIN opp USING (i) LEFT JOIN cycle USING (i)
                     LEFT JOIN cost USING (i) LEFT JOIN mail USING (i)
             ORDER BY w.i""".formatted(SPANS);

    /** The assets touched (non-bot) by the MQLs of spans 1 and 2 before their MQL, by distinct MQL. */
    private static final String ASSETS = """
            WITH %s,{PROS}
            m AS (SELECT w.i, j.prospect_id, j.t_mql
                    FROM w JOIN stage_journey j ON j.t_mql >= w.s AND j.t_mql < w.e WHERE {J}),
            touch AS (
              SELECT m.i, m.prospect_id,
                     CASE a.type WHEN 'FORM_SUBMIT' THEN 'FORM' WHEN 'FILE_DOWNLOAD' THEN 'FILE'
                                 WHEN 'TRACKED_LINK_CLICK' THEN 'LINK' ELSE 'EMAIL' END AS type,
                     CASE WHEN a.type = 'FORM_SUBMIT' THEN a.properties ->> 'formKey'
                          WHEN a.type IN ('FILE_DOWNLOAD', 'TRACKED_LINK_CLICK')
                               THEN coalesce(a.properties ->> 'linkId', a.properties ->> 'url')
                          ELSE a.properties ->> 'emailId' END AS id,
                     CASE WHEN a.type = 'FORM_SUBMIT' THEN a.properties ->> 'formName'
                          WHEN a.type IN ('FILE_DOWNLOAD', 'TRACKED_LINK_CLICK')
                               THEN coalesce(a.properties ->> 'assetName', a.properties ->> 'linkName',
                                             a.properties ->> 'fileName', a.properties ->> 'url')
                          ELSE NULL END AS name
                FROM m JOIN activity a ON a.prospect_id = m.prospect_id AND a.occurred_at < m.t_mql
               WHERE NOT a.bot
                 AND a.type IN ('FORM_SUBMIT', 'FILE_DOWNLOAD', 'TRACKED_LINK_CLICK', 'EMAIL_OPEN', 'EMAIL_CLICK'))
            SELECT t.type, t.id, coalesce(max(t.name), max(et.name), t.id) AS name,
                   count(DISTINCT t.prospect_id) FILTER (WHERE t.i = 1) AS mqls,
                   count(DISTINCT t.prospect_id) FILTER (WHERE t.i = 2) AS previous
              FROM touch t
              LEFT JOIN email_template et ON t.type = 'EMAIL' AND et.id::text = t.id
             WHERE t.id IS NOT NULL
             GROUP BY t.type, t.id
             ORDER BY 4 DESC, 5 DESC, t.type, t.id
             LIMIT :limit""".formatted(SPANS);

    private final JdbcClient jdbc;
    private final Clock clock;

    KpiReport(ReportDatabase reports, Clock clock) {
        this.jdbc = reports.jdbc();
        this.clock = clock;
    }

    /** The row of one span: every count and aggregate the KPIs are made of. */
    record Row(
            int target,
            long visitors,
            long visited,
            long captured,
            long capMql,
            long capWon,
            long mqls,
            long mqlSal,
            long mqlOpp,
            long active,
            long base,
            long opps,
            long oppWon,
            long won,
            Double cycleMedian,
            long customers,
            Double leadMedian,
            BigDecimal cost,
            long sent,
            long opened,
            long clicked) {

        static Row of(ResultSet rs) throws SQLException {
            return new Row(
                    rs.getInt("target"),
                    rs.getLong("visitors"),
                    rs.getLong("visited"),
                    rs.getLong("captured"),
                    rs.getLong("cap_mql"),
                    rs.getLong("cap_won"),
                    rs.getLong("mqls"),
                    rs.getLong("mql_sal"),
                    rs.getLong("mql_opp"),
                    rs.getLong("active"),
                    rs.getLong("base"),
                    rs.getLong("opps"),
                    rs.getLong("opp_won"),
                    rs.getLong("won"),
                    nullable(rs, "cycle_median"),
                    rs.getLong("customers"),
                    nullable(rs, "lead_median"),
                    money(rs.getBigDecimal("cost")),
                    rs.getLong("sent"),
                    rs.getLong("opened"),
                    rs.getLong("clicked"));
        }
    }

    /** A KPI's definition: its key, label, unit and how a span's row gives its figure. */
    private record Definition(String key, String label, String unit, BiFunction<Row, Span, Figure> figure) {}

    private static final List<Definition> DEFINITIONS = List.of(
            new Definition(
                    "mqls",
                    "MQLs",
                    "count",
                    (r, s) -> new Figure((double) r.mqls(), r.mqls(), null, target(r.target(), s))),
            new Definition(
                    "visitorToProspect", "Visitor → prospect", "percent", (r, s) -> rate(r.visited(), r.visitors())),
            new Definition("prospectToMql", "Prospect → MQL", "percent", (r, s) -> rate(r.capMql(), r.captured())),
            new Definition("mqlToSal", "MQL → SAL", "percent", (r, s) -> rate(r.mqlSal(), r.mqls())),
            new Definition(
                    "leadActiveRate", "Lead active rate (30 days)", "percent", (r, s) -> rate(r.active(), r.base())),
            new Definition("mqlToOpportunity", "MQL → opportunity", "percent", (r, s) -> rate(r.mqlOpp(), r.mqls())),
            new Definition("opportunityToWon", "Opportunity → won", "percent", (r, s) -> rate(r.oppWon(), r.opps())),
            new Definition("prospectToWon", "Prospect → won", "percent", (r, s) -> rate(r.capWon(), r.captured())),
            new Definition(
                    "salesCycleDays",
                    "Sales cycle (median days, created → won)",
                    "days",
                    (r, s) -> new Figure(r.cycleMedian(), r.won(), null, null)),
            new Definition(
                    "leadTimeDays",
                    "Lead time (median days, capture → won)",
                    "days",
                    (r, s) -> new Figure(r.leadMedian(), r.customers(), null, null)),
            new Definition(
                    "costPerWonDeal",
                    "Cost per won deal",
                    "money",
                    (r, s) -> new Figure(
                            r.won() == 0 || r.cost() == null
                                    ? null
                                    : r.cost()
                                            .divide(BigDecimal.valueOf(r.won()), 2, RoundingMode.HALF_UP)
                                            .doubleValue(),
                            r.cost(),
                            r.won(),
                            null)),
            new Definition("emailOpenRate", "Email open rate", "percent", (r, s) -> rate(r.opened(), r.sent())),
            new Definition("emailClickRate", "Email click rate", "percent", (r, s) -> rate(r.clicked(), r.sent())));

    /** The dashboard for this query, as of now. */
    public KpiDashboard run(KpiQuery query) {
        List<Span> spans = query.spans();
        LifecycleReport.Selection segment = LifecycleReport.Selection.of(query.lifecycle());
        List<Row> rows = bind(jdbc.sql(segmented(KPIS, query, segment)), spans, spans.size(), segment)
                .query((rs, n) -> Row.of(rs))
                .list();
        List<Kpi> kpis = new ArrayList<>();
        for (Definition d : DEFINITIONS) {
            List<Figure> figures = new ArrayList<>();
            for (int i = 0; i < spans.size(); i++) {
                figures.add(d.figure().apply(rows.get(i), spans.get(i)));
            }
            kpis.add(new Kpi(
                    d.key(),
                    d.label(),
                    d.unit(),
                    figures.get(0),
                    figures.get(1),
                    List.copyOf(figures.subList(2, figures.size()))));
        }
        long mqls = rows.get(0).mqls();
        long previous = rows.get(1).mqls();
        List<Asset> assets = bind(jdbc.sql(segmented(ASSETS, query, segment)), spans, 2, segment)
                .param("limit", MAX_ASSETS)
                .query((rs, n) -> new Asset(
                        rs.getString("type"),
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getLong("mqls"),
                        percent(rs.getLong("mqls"), mqls),
                        rs.getLong("previous"),
                        percent(rs.getLong("previous"), previous)))
                .list();
        Span before = query.previous();
        return new KpiDashboard(
                query.from(),
                query.to(),
                query.period().name().toLowerCase(Locale.ROOT),
                query.segment() == null ? null : query.segment().name().toLowerCase(Locale.ROOT),
                query.segmentValue(),
                before.from(),
                before.to(),
                clock.instant(),
                rows.get(0).target(),
                query.trend(),
                List.copyOf(kpis),
                assets);
    }

    /**
     * The statement restricted to a segment's prospects (the lifecycle report's {@code pros}, current values): stage
     * journeys, the scoring ledger and emails by prospect, visitors linked to one of them, opportunities with one of
     * them as a contact role; campaign cost only for a campaign segment (cost has no source, industry, grade, owner or
     * list, so the cost per won deal is then null). Without a segment every filter is {@code true}.
     */
    private static String segmented(String sql, KpiQuery query, LifecycleReport.Selection segment) {
        boolean on = query.segment() != null;
        String in = "IN (SELECT id FROM pros)";
        return sql.replace("{PROS}", on ? "\n" + segment.pros() + "," : "")
                .replace("{J}", on ? "j.prospect_id " + in : "true")
                .replace("{V}", on ? "v.prospect_id " + in : "true")
                .replace(
                        "{O}",
                        on
                                ? "EXISTS (SELECT 1 FROM opportunity_contact_role r WHERE r.opportunity_id = o.id"
                                        + " AND r.prospect_id " + in + ")"
                                : "true")
                .replace(
                        "{C}",
                        !on ? "true" : query.segment() == LifecycleQuery.Segment.CAMPAIGN ? "id = :value" : "false")
                .replace("{COSTED}", on && query.segment() != LifecycleQuery.Segment.CAMPAIGN ? "false" : "true")
                .replace("{M}", on ? "m.prospect_id " + in : "true");
    }

    private static JdbcClient.StatementSpec bind(
            JdbcClient.StatementSpec spec, List<Span> spans, int count, LifecycleReport.Selection segment) {
        if (segment.value() != null) {
            spec = spec.param("value", segment.value());
        }
        return spec.param(
                        "starts", spans.stream().map(s -> s.start().toString()).collect(Collectors.joining(",")))
                .param("ends", spans.stream().map(s -> s.end().toString()).collect(Collectors.joining(",")))
                .param("spans", count);
    }

    /**
     * The MQL target of a span: the monthly target for every calendar month the span touches, in proportion to the
     * days of that month it covers (a whole month: the target; the first week of a 31-day month: 7/31 of it).
     */
    static Double target(int monthly, Span span) {
        double sum = 0;
        LocalDate day = span.from();
        while (!day.isAfter(span.to())) {
            LocalDate last = day.withDayOfMonth(day.lengthOfMonth());
            LocalDate until = last.isAfter(span.to()) ? span.to() : last;
            sum += monthly * (ChronoUnit.DAYS.between(day, until) + 1) / (double) day.lengthOfMonth();
            day = until.plusDays(1);
        }
        return Math.round(sum * 10) / 10.0;
    }

    private static Figure rate(long numerator, long denominator) {
        return new Figure(percent(numerator, denominator), numerator, denominator, null);
    }

    /** {@code numerator} of {@code denominator} in percent with one decimal; null when the denominator is 0. */
    static Double percent(long numerator, long denominator) {
        return denominator <= 0 ? null : Math.round(1000.0 * numerator / denominator) / 10.0;
    }

    private static BigDecimal money(BigDecimal cost) {
        return cost == null ? null : cost.setScale(2, RoundingMode.HALF_UP);
    }

    private static Double nullable(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : Math.round(v * 100) / 100.0;
    }
}
