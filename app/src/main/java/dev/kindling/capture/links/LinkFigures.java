package dev.kindling.capture.links;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Clicks of tracked links and files ({@code TRACKED_LINK_CLICK}, {@code FILE_DOWNLOAD}): totals, by week, who. */
@Component
class LinkFigures {

    static final int WEEKS = 12;
    private static final String CLICKS =
            "type IN ('TRACKED_LINK_CLICK', 'FILE_DOWNLOAD') AND properties ->> 'linkId' = :link";

    private final JdbcClient jdbc;
    private final Clock clock;

    LinkFigures(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A link in the list with its clicks. */
    record Row(long id, String kind, String name, String targetUrl, long clicks) {}

    /** Clicks of one week (from Monday, UTC). */
    record Week(LocalDate start, long clicks, long people) {}

    /** A prospect who clicked, with how often and when last. */
    record Clicker(long id, String email, String name, long clicks, Instant last) {}

    /** Totals: clicks, those by known prospects, those by anonymous visitors, bots. */
    record Totals(long clicks, long byProspects, long anonymous, long bots) {}

    List<Row> list() {
        return jdbc.sql("""
                        SELECT l.id, l.kind, l.name, l.target_url,
                               (SELECT count(*) FROM activity a WHERE a.type IN ('TRACKED_LINK_CLICK', 'FILE_DOWNLOAD')
                                   AND a.properties ->> 'linkId' = l.id::text) AS clicks
                          FROM tracked_link l ORDER BY l.id DESC""")
                .query((rs, n) ->
                        new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)))
                .list();
    }

    Totals totals(long linkId) {
        return jdbc.sql("SELECT count(*), count(prospect_id), count(*) FILTER (WHERE prospect_id IS NULL AND NOT bot),"
                        + " count(*) FILTER (WHERE bot) FROM activity WHERE " + CLICKS)
                .param("link", Long.toString(linkId))
                .query((rs, n) -> new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .single();
    }

    List<Week> weeks(long linkId) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = today.minusDays(today.getDayOfWeek().getValue() - 1L).minusWeeks(WEEKS - 1L);
        return jdbc.sql("""
                        WITH weeks AS (
                            SELECT d::date AS start FROM generate_series(CAST(:first AS timestamp),
                                   CAST(:first AS timestamp) + make_interval(weeks => :weeks - 1), interval '7 days') d),
                        clicks AS (
                            SELECT (date_trunc('week', occurred_at AT TIME ZONE 'UTC'))::date AS week, prospect_id, visitor_id
                              FROM activity WHERE\s""" + CLICKS + " AND occurred_at >= :from)" + """

                        SELECT w.start, (SELECT count(*) FROM clicks c WHERE c.week = w.start),
                               (SELECT count(DISTINCT coalesce(c.prospect_id::text, c.visitor_id)) FROM clicks c
                                 WHERE c.week = w.start)
                          FROM weeks w ORDER BY w.start""")
                .param("first", java.sql.Date.valueOf(first))
                .param("weeks", WEEKS)
                .param("link", Long.toString(linkId))
                .param("from", Timestamp.from(first.atStartOfDay(ZoneOffset.UTC).toInstant()))
                .query((rs, n) -> new Week(rs.getDate(1).toLocalDate(), rs.getLong(2), rs.getLong(3)))
                .list();
    }

    /** The 50 prospects who clicked most recently. */
    List<Clicker> clickers(long linkId) {
        return jdbc.sql("""
                        SELECT p.id, p.email, concat_ws(' ', p.first_name, p.last_name), count(*), max(a.occurred_at) AS last
                          FROM activity a JOIN prospect p ON p.id = a.prospect_id
                         WHERE a.""" + CLICKS.replace("type IN", "type IN").replace("properties", "a.properties") + """

                         GROUP BY p.id, p.email, p.first_name, p.last_name
                         ORDER BY last DESC LIMIT 50""")
                .param("link", Long.toString(linkId))
                .query((rs, n) -> new Clicker(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getTimestamp(5).toInstant()))
                .list();
    }
}
