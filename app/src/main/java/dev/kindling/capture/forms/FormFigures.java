package dev.kindling.capture.forms;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What forms did: successful submissions ({@code FORM_SUBMIT}), rejected ones ({@code FORM_ERROR}, recorded only for
 * known prospects) and the prospects they captured (the capture transition's cause {@code form:<key>}), by form key.
 */
@Component
class FormFigures {

    static final int WEEKS = 12;

    private final JdbcClient jdbc;
    private final Clock clock;

    FormFigures(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A form in the list with its figures. */
    record Row(long id, String key, String name, long submissions, long errors, long prospectsCreated) {}

    /** A form's totals. */
    record Totals(long submissions, long errors, long prospectsCreated) {

        /** Successful submissions out of all recorded ones, in percent (null when none). */
        public Long successRate() {
            return submissions + errors == 0 ? null : Math.round(100.0 * submissions / (submissions + errors));
        }
    }

    /** One week (starting Monday, UTC) of a form. */
    record Week(LocalDate start, long submissions, long errors, long prospectsCreated) {

        public Long successRate() {
            return submissions + errors == 0 ? null : Math.round(100.0 * submissions / (submissions + errors));
        }
    }

    /** A prospect the form captured. */
    record Created(long id, String email, String name, String company, Instant at) {}

    List<Row> list() {
        return jdbc.sql("""
                        SELECT f.id, f.key, f.name,
                               (SELECT count(*) FROM activity a WHERE a.type = 'FORM_SUBMIT'
                                   AND a.properties ->> 'formKey' = f.key) AS submissions,
                               (SELECT count(*) FROM activity a WHERE a.type = 'FORM_ERROR'
                                   AND a.properties ->> 'formKey' = f.key) AS errors,
                               (SELECT count(*) FROM stage_transition t WHERE t.from_stage IS NULL
                                   AND t.cause = 'form:' || f.key) AS created
                          FROM form f ORDER BY f.id DESC""")
                .query((rs, n) -> new Row(
                        rs.getLong("id"),
                        rs.getString("key"),
                        rs.getString("name"),
                        rs.getLong("submissions"),
                        rs.getLong("errors"),
                        rs.getLong("created")))
                .list();
    }

    Totals totals(String key) {
        return jdbc.sql("""
                        SELECT (SELECT count(*) FROM activity WHERE type = 'FORM_SUBMIT' AND properties ->> 'formKey' = :key),
                               (SELECT count(*) FROM activity WHERE type = 'FORM_ERROR' AND properties ->> 'formKey' = :key),
                               (SELECT count(*) FROM stage_transition WHERE from_stage IS NULL AND cause = :cause)""")
                .param("key", key)
                .param("cause", "form:" + key)
                .query((rs, n) -> new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .single();
    }

    /** The last {@value #WEEKS} weeks, oldest first, weeks without anything included. */
    List<Week> weeks(String key) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate firstWeek =
                today.minusDays(today.getDayOfWeek().getValue() - 1L).minusWeeks(WEEKS - 1L);
        return jdbc.sql("""
                        WITH weeks AS (
                            SELECT d::date AS start FROM generate_series(CAST(:first AS timestamp),
                                   CAST(:first AS timestamp) + make_interval(weeks => :weeks - 1), interval '7 days') d),
                        events AS (
                            SELECT (date_trunc('week', occurred_at AT TIME ZONE 'UTC'))::date AS week, type
                              FROM activity
                             WHERE type IN ('FORM_SUBMIT', 'FORM_ERROR') AND properties ->> 'formKey' = :key
                               AND occurred_at >= :from AND occurred_at <= :now),
                        captured AS (
                            SELECT (date_trunc('week', at AT TIME ZONE 'UTC'))::date AS week
                              FROM stage_transition
                             WHERE from_stage IS NULL AND cause = :cause AND at >= :from AND at <= :now)
                        SELECT w.start,
                               (SELECT count(*) FROM events e WHERE e.week = w.start AND e.type = 'FORM_SUBMIT'),
                               (SELECT count(*) FROM events e WHERE e.week = w.start AND e.type = 'FORM_ERROR'),
                               (SELECT count(*) FROM captured c WHERE c.week = w.start)
                          FROM weeks w ORDER BY w.start""")
                .param("first", java.sql.Date.valueOf(firstWeek))
                .param("weeks", WEEKS)
                .param("key", key)
                .param("cause", "form:" + key)
                .param(
                        "from",
                        Timestamp.from(firstWeek.atStartOfDay(ZoneOffset.UTC).toInstant()))
                .param("now", Timestamp.from(now.plus(Duration.ofMinutes(1))))
                .query((rs, n) -> new Week(rs.getDate(1).toLocalDate(), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .list();
    }

    /** The 50 prospects the form captured most recently. */
    List<Created> prospectsCreated(String key) {
        return jdbc.sql("""
                        SELECT p.id, p.email, concat_ws(' ', p.first_name, p.last_name) AS name, p.company, t.at
                          FROM stage_transition t JOIN prospect p ON p.id = t.prospect_id
                         WHERE t.from_stage IS NULL AND t.cause = :cause
                         ORDER BY t.at DESC, p.id DESC LIMIT 50""")
                .param("cause", "form:" + key)
                .query((rs, n) -> new Created(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant()))
                .list();
    }
}
