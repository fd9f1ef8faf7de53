package dev.kindling.sales;

import dev.kindling.platform.database.ReportDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * SLA compliance for the handoffs assigned in a period, per rep, per team and in total, in one grouped query:
 * how many were met, breached or are still open (a handoff past due without contact counts as breached even before
 * the sweeper marks it; one reassigned in time counts for neither), compliance = met / (met + breached), time to first touch (first attempt, else first
 * outcome; median and 90th percentile, in hours of wall-clock time), attempts per lead and the outcomes.
 */
@Component
class SlaReport {

    /** One line: {@code level} is REP, TEAM or TOTAL. */
    record Line(
            String level,
            Long id,
            String name,
            long handoffs,
            long met,
            long breached,
            long open,
            Double compliancePercent,
            Double medianHoursToFirstTouch,
            Double p90HoursToFirstTouch,
            Double attemptsPerLead,
            long accepted,
            long rejected,
            long converted,
            long reassigned,
            long noOutcome) {}

    record Report(String from, String to, List<Line> reps, List<Line> teams, Line total) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    SlaReport(ReportDatabase reports, Clock clock) {
        // the report database: the weekly review runs this on the read replica, the SLA page on the primary
        this.jdbc = reports.jdbc();
        this.clock = clock;
    }

    Report run(Period period) {
        List<Line> lines = jdbc.sql("""
                        WITH h AS (
                            SELECT h.*, coalesce(h.team_id, u.team_id) AS team,
                                   CASE WHEN h.sla_state IN ('MET', 'BREACHED') THEN h.sla_state
                                        WHEN h.outcome = 'REASSIGNED' THEN
                                             CASE WHEN h.outcome_at > h.due_at THEN 'BREACHED' ELSE 'HANDED_ON' END
                                        WHEN h.due_at < :now THEN 'BREACHED' ELSE 'OPEN' END AS verdict,
                                   extract(epoch FROM coalesce(h.first_attempt_at, h.accepted_at, h.outcome_at) - h.assigned_at)
                                       / 3600.0 AS touch_hours
                              FROM sales_handoff h JOIN app_user u ON u.id = h.user_id
                             WHERE h.assigned_at >= :start AND h.assigned_at < :end
                        )
                        SELECT CASE WHEN grouping(h.user_id) = 0 THEN 'REP'
                                    WHEN grouping(h.team) = 0 THEN 'TEAM' ELSE 'TOTAL' END AS level,
                               CASE WHEN grouping(h.user_id) = 0 THEN h.user_id
                                    WHEN grouping(h.team) = 0 THEN h.team END AS id,
                               count(*) AS handoffs,
                               count(*) FILTER (WHERE verdict = 'MET') AS met,
                               count(*) FILTER (WHERE verdict = 'BREACHED') AS breached,
                               count(*) FILTER (WHERE verdict = 'OPEN') AS open,
                               percentile_cont(0.5) WITHIN GROUP (ORDER BY touch_hours) AS median_hours,
                               percentile_cont(0.9) WITHIN GROUP (ORDER BY touch_hours) AS p90_hours,
                               avg(attempts) AS attempts,
                               count(*) FILTER (WHERE accepted_at IS NOT NULL) AS accepted,
                               count(*) FILTER (WHERE outcome = 'REJECTED') AS rejected,
                               count(*) FILTER (WHERE outcome = 'CONVERTED') AS converted,
                               count(*) FILTER (WHERE outcome = 'REASSIGNED') AS reassigned,
                               count(*) FILTER (WHERE outcome IS NULL) AS no_outcome
                          FROM h
                         GROUP BY GROUPING SETS ((h.user_id), (h.team), ())
                        """)
                .param("start", Timestamp.from(period.start()))
                .param("end", Timestamp.from(period.end()))
                .param("now", Timestamp.from(clock.instant()))
                .query(SlaReport::line)
                .list();
        java.util.Map<Long, String> users = names("app_user");
        java.util.Map<Long, String> teams = names("team");
        List<Line> reps = lines.stream()
                .filter(l -> l.level().equals("REP"))
                .map(l -> named(l, users.get(l.id())))
                .sorted(java.util.Comparator.comparing(Line::name))
                .toList();
        List<Line> teamLines = lines.stream()
                .filter(l -> l.level().equals("TEAM"))
                .map(l -> named(l, l.id() == null ? "(no team)" : teams.get(l.id())))
                .sorted(java.util.Comparator.comparing(Line::name))
                .toList();
        Line total = lines.stream()
                .filter(l -> l.level().equals("TOTAL"))
                .findFirst()
                .map(l -> named(l, "Total"))
                .orElseThrow();
        return new Report(period.from().toString(), period.to().toString(), reps, teamLines, total);
    }

    private java.util.Map<Long, String> names(String table) {
        java.util.Map<Long, String> names = new java.util.HashMap<>();
        jdbc.sql("SELECT id, name FROM " + table)
                .query((rs, n) -> names.put(rs.getLong(1), rs.getString(2)))
                .list();
        return names;
    }

    private static Line named(Line l, String name) {
        return new Line(
                l.level(),
                l.id(),
                name == null ? "#" + l.id() : name,
                l.handoffs(),
                l.met(),
                l.breached(),
                l.open(),
                l.compliancePercent(),
                l.medianHoursToFirstTouch(),
                l.p90HoursToFirstTouch(),
                l.attemptsPerLead(),
                l.accepted(),
                l.rejected(),
                l.converted(),
                l.reassigned(),
                l.noOutcome());
    }

    private static Line line(ResultSet rs, int n) throws SQLException {
        long met = rs.getLong("met");
        long breached = rs.getLong("breached");
        Double compliance = met + breached == 0 ? null : round(100.0 * met / (met + breached));
        return new Line(
                rs.getString("level"),
                (Long) rs.getObject("id"),
                null,
                rs.getLong("handoffs"),
                met,
                breached,
                rs.getLong("open"),
                compliance,
                round((Double) rs.getObject("median_hours")),
                round((Double) rs.getObject("p90_hours")),
                rs.getObject("attempts") == null
                        ? null
                        : round(rs.getBigDecimal("attempts").doubleValue()),
                rs.getLong("accepted"),
                rs.getLong("rejected"),
                rs.getLong("converted"),
                rs.getLong("reassigned"),
                rs.getLong("no_outcome"));
    }

    static Double round(Double value) {
        return value == null ? null : Math.round(value * 10.0) / 10.0;
    }
}
