package dev.kindling.sales;

import dev.kindling.platform.database.ReportDatabase;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The weekly sales–marketing review (seed 003, SPEC §9/§13) for a period: follow-up of the leads handed off in it
 * (the SLA report), the leads not followed and the reasons leads were sent back, MQL supply against the monthly
 * target (the month of the period's end), MQL → SAL → SQL → won for the period's MQLs, win rate and average deal
 * size by score band and by grade (opportunities closed in the twelve months up to the period's end, each by its
 * primary contact's score and grade when handed off, else now), and the pipeline created. A handful of grouped
 * queries, whatever the volume.
 */
@Component
class WeeklyReview {

    static final int DEFAULT_DAYS = 7;
    static final int NOT_FOLLOWED_SHOWN = 50;

    record NotFollowed(
            long prospectId,
            String email,
            String name,
            String owner,
            Instant assignedAt,
            Instant dueAt,
            int attempts,
            String why) {}

    record Count(String key, long count) {}

    record Supply(String month, long mqls, int target, double expectedByNow, Double percentOfTarget) {}

    record Conversion(
            long mql, long sal, long sql, long won, Double salPercent, Double sqlPercent, Double wonPercent) {}

    /** Closed opportunities of one score band or grade: how many, won, win rate, average won deal. */
    record WinRate(String key, long closed, long won, Double winPercent, BigDecimal averageWonAmount) {}

    record Pipeline(long created, BigDecimal amount, List<Count> byDay, List<DayAmount> amountByDay) {}

    record DayAmount(String day, BigDecimal amount) {}

    record Review(
            String from,
            String to,
            SlaReport.Report followUp,
            List<Count> slaStates,
            List<NotFollowed> notFollowed,
            long notFollowedTotal,
            List<Count> rejectReasons,
            Supply supply,
            Conversion conversion,
            List<WinRate> byScoreBand,
            List<WinRate> byGrade,
            int mqlScore,
            Pipeline pipeline) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SlaReport sla;
    private final SalesSettings settings;

    WeeklyReview(ReportDatabase reports, Clock clock, SlaReport sla, SalesSettings settings) {
        this.jdbc = reports.jdbc();
        this.clock = clock;
        this.sla = sla;
        this.settings = settings;
    }

    Review run(Period period) {
        Timestamp start = Timestamp.from(period.start());
        Timestamp end = Timestamp.from(period.end());
        Timestamp now = Timestamp.from(clock.instant());
        SlaReport.Report followUp = sla.run(period);
        SlaReport.Line t = followUp.total();
        List<Count> states = List.of(
                new Count("MET", t.met()),
                new Count("BREACHED", t.breached()),
                new Count("OPEN", t.open()),
                new Count("ACCEPTED", t.accepted()),
                new Count("REJECTED", t.rejected()),
                new Count("CONVERTED", t.converted()),
                new Count("NO_OUTCOME", t.noOutcome()));

        String notFollowedWhere = """
                  FROM sales_handoff h JOIN prospect p ON p.id = h.prospect_id JOIN app_user u ON u.id = h.user_id
                 WHERE h.assigned_at >= :start AND h.assigned_at < :end AND h.open
                   AND h.first_attempt_at IS NULL AND h.accepted_at IS NULL AND h.due_at < :now""";
        List<NotFollowed> notFollowed = jdbc.sql("""
                        SELECT h.prospect_id, p.email, trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')),
                               u.name, h.assigned_at, h.due_at, h.attempts
                        """ + notFollowedWhere + " ORDER BY h.due_at LIMIT :limit")
                .param("start", start)
                .param("end", end)
                .param("now", now)
                .param("limit", NOT_FOLLOWED_SHOWN)
                .query((rs, n) -> new NotFollowed(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getTimestamp(6).toInstant(),
                        rs.getInt(7),
                        "no contact by the due time"))
                .list();
        long notFollowedTotal = jdbc.sql("SELECT count(*) " + notFollowedWhere)
                .param("start", start)
                .param("end", end)
                .param("now", now)
                .query(Long.class)
                .single();
        List<Count> reasons = jdbc.sql("""
                        SELECT reject_reason, count(*) FROM sales_handoff
                         WHERE assigned_at >= :start AND assigned_at < :end AND outcome = 'REJECTED'
                         GROUP BY 1 ORDER BY 2 DESC, 1""")
                .param("start", start)
                .param("end", end)
                .query((rs, n) -> new Count(rs.getString(1), rs.getLong(2)))
                .list();

        YearMonth month = YearMonth.from(period.to());
        Instant monthStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant monthEnd =
                month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long mqls = jdbc.sql("""
                        SELECT count(*) FROM stage_reached WHERE stage = 'MQL'
                           AND first_entered_at >= :start AND first_entered_at < :end""")
                .param("start", Timestamp.from(monthStart))
                .param("end", Timestamp.from(monthEnd))
                .query(Long.class)
                .single();
        int target = settings.current().monthlyMqlTarget();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        int daysGone = YearMonth.from(today).equals(month)
                ? today.getDayOfMonth()
                : today.isAfter(month.atEndOfMonth()) ? month.lengthOfMonth() : 0;
        double expected = SlaReport.round(target * (double) daysGone / month.lengthOfMonth());
        Supply supply = new Supply(
                month.toString(), mqls, target, expected, target == 0 ? null : SlaReport.round(100.0 * mqls / target));

        Conversion conversion = jdbc.sql("""
                        SELECT count(*),
                               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM stage_reached s WHERE s.prospect_id = m.prospect_id AND s.stage IN ('SAL', 'SQL', 'CUSTOMER'))),
                               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM stage_reached s WHERE s.prospect_id = m.prospect_id AND s.stage IN ('SQL', 'CUSTOMER'))),
                               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM stage_reached s WHERE s.prospect_id = m.prospect_id AND s.stage = 'CUSTOMER'))
                          FROM stage_reached m
                         WHERE m.stage = 'MQL' AND m.first_entered_at >= :start AND m.first_entered_at < :end""")
                .param("start", start)
                .param("end", end)
                .query((rs, n) -> {
                    long m = rs.getLong(1);
                    return new Conversion(
                            m,
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            percent(rs.getLong(2), m),
                            percent(rs.getLong(3), m),
                            percent(rs.getLong(4), m));
                })
                .single();

        int mqlScore = jdbc.sql("SELECT mql_score FROM lifecycle_thresholds")
                .query(Integer.class)
                .single();
        String closed = """
                WITH c AS (
                    SELECT o.id, o.status, o.amount,
                           coalesce(h.score_at_start, p.score) AS score,
                           CASE WHEN h.id IS NOT NULL THEN h.grade_at_start ELSE p.grade END AS grade
                      FROM opportunity o
                      JOIN LATERAL (SELECT r.prospect_id FROM opportunity_contact_role r WHERE r.opportunity_id = o.id
                                     ORDER BY r.is_primary DESC, r.prospect_id LIMIT 1) r ON true
                      JOIN prospect p ON p.id = r.prospect_id
                      LEFT JOIN LATERAL (SELECT x.id, x.score_at_start, x.grade_at_start FROM sales_handoff x
                                          WHERE x.prospect_id = p.id AND x.assigned_at <= o.created_at
                                          ORDER BY x.assigned_at DESC LIMIT 1) h ON true
                     WHERE o.status IN ('WON', 'LOST') AND o.closed_at >= :since AND o.closed_at < :end)
                """;
        Timestamp since =
                Timestamp.from(period.end().atZone(ZoneOffset.UTC).minusYears(1).toInstant());
        List<WinRate> byBand = jdbc.sql(closed + """
                        SELECT CASE WHEN score < :t THEN 1 WHEN score < 2 * :t THEN 2 WHEN score < 3 * :t THEN 3 ELSE 4 END AS band,
                               count(*), count(*) FILTER (WHERE status = 'WON'), avg(amount) FILTER (WHERE status = 'WON')
                          FROM c GROUP BY 1 ORDER BY 1""")
                .param("since", since)
                .param("end", end)
                .param("t", mqlScore)
                .query((rs, n) ->
                        winRate(band(rs.getInt(1), mqlScore), rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4)))
                .list();
        List<WinRate> byGrade = jdbc.sql(closed + """
                        SELECT coalesce(grade, 'ungraded'), count(*), count(*) FILTER (WHERE status = 'WON'),
                               avg(amount) FILTER (WHERE status = 'WON')
                          FROM c GROUP BY 1 ORDER BY grade_rank(min(grade)) DESC NULLS LAST""")
                .param("since", since)
                .param("end", end)
                .query((rs, n) -> winRate(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4)))
                .list();

        List<Object[]> days = jdbc.sql("""
                        SELECT date_trunc('day', created_at AT TIME ZONE 'UTC')::date, count(*), sum(amount)
                          FROM opportunity WHERE created_at >= :start AND created_at < :end GROUP BY 1 ORDER BY 1""")
                .param("start", start)
                .param("end", end)
                .query((rs, n) ->
                        new Object[] {rs.getDate(1).toLocalDate().toString(), rs.getLong(2), rs.getBigDecimal(3)})
                .list();
        long created = days.stream().mapToLong(d -> (Long) d[1]).sum();
        BigDecimal amount = days.stream().map(d -> (BigDecimal) d[2]).reduce(BigDecimal.ZERO, BigDecimal::add);
        Pipeline pipeline = new Pipeline(
                created,
                amount,
                days.stream().map(d -> new Count((String) d[0], (Long) d[1])).toList(),
                days.stream()
                        .map(d -> new DayAmount((String) d[0], (BigDecimal) d[2]))
                        .toList());

        return new Review(
                period.from().toString(),
                period.to().toString(),
                followUp,
                states,
                notFollowed,
                notFollowedTotal,
                reasons,
                supply,
                conversion,
                byBand,
                byGrade,
                mqlScore,
                pipeline);
    }

    static String band(int band, int t) {
        return switch (band) {
            case 1 -> "below " + t + " (under the MQL score)";
            case 2 -> t + "–" + (2 * t - 1);
            case 3 -> 2 * t + "–" + (3 * t - 1);
            default -> 3 * t + " and above";
        };
    }

    private static WinRate winRate(String key, long closed, long won, BigDecimal average) {
        return new WinRate(
                key,
                closed,
                won,
                percent(won, closed),
                average == null ? null : average.setScale(2, java.math.RoundingMode.HALF_UP));
    }

    static Double percent(long part, long whole) {
        return whole == 0 ? null : SlaReport.round(100.0 * part / whole);
    }
}
