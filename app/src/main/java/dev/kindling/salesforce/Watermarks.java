package dev.kindling.salesforce;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The sync position per Salesforce object, stored after each page: the highest {@code SystemModstamp} read (and when
 * Kindling first saw it), and the lower bound a complete poll established for the next one.
 *
 * <p>A poll asks for {@code SystemModstamp >=} its window's start. A record can be committed in Salesforce a little
 * after the stamp it carries, so a poll that started at Salesforce time {@code T} and read every page has seen every
 * record stamped before {@code T − }{@link #OVERLAP}; the next poll starts there (or at the highest stamp read minus
 * the overlap, when that is later). Salesforce's time is not Kindling's (clocks differ): it is bounded from below by
 * the highest stamp read plus the time that passed on Kindling's clock since it was first seen — only a difference of
 * Kindling's clock is used, so a skew between the two clocks does not matter. Records stamped together (a data load,
 * a mass update) therefore leave the window once the overlap has passed, instead of being read again by every cycle
 * until the object changes again.
 */
@Component
class Watermarks {

    /** How far back of the last covered instant a poll reads again (records committed after their stamp). */
    static final Duration OVERLAP = Duration.ofMinutes(5);

    /**
     * Where a poll starts: the SOQL {@code WHERE} clause ("" from the beginning) and Salesforce's time at the poll's
     * start as far as known (null before anything was read), for {@link #covered}.
     */
    record Window(String where, Instant started) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    Watermarks(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The window of a poll starting now. */
    Window window(String object) {
        record Position(Instant modstamp, Instant seenAt, Instant pollFrom) {}
        Optional<Position> position = jdbc.sql(
                        "SELECT modstamp, seen_at, poll_from FROM salesforce_watermark WHERE object = :object")
                .param("object", object)
                .query((rs, n) -> new Position(
                        rs.getTimestamp(1).toInstant(),
                        rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
                .optional();
        if (position.isEmpty()) {
            return new Window("", null);
        }
        Position p = position.get();
        Instant from = p.modstamp().minus(OVERLAP);
        if (p.pollFrom() != null && p.pollFrom().isAfter(from)) {
            from = p.pollFrom();
        }
        Duration since = Duration.between(p.seenAt(), clock.instant());
        Instant started = since.isNegative() ? p.modstamp() : p.modstamp().plus(since);
        return new Window(" WHERE SystemModstamp >= " + SalesforceClient.soqlDateTime(from), started);
    }

    /**
     * A poll of {@code window} read every page: the next one need not read before its start less the overlap (in its
     * own transaction; nothing when the poll's start is not known).
     */
    void covered(String object, Window window) {
        if (window.started() == null) {
            return;
        }
        jdbc.sql("""
                UPDATE salesforce_watermark SET poll_from = :from
                 WHERE object = :object AND (poll_from IS NULL OR poll_from < :from)""")
                .param("object", object)
                .param("from", Timestamp.from(window.started().minus(OVERLAP)))
                .update();
    }

    /** Move the watermark forward (never back), in the caller's transaction; {@code now}: when the page was read. */
    void advance(String object, Instant modstamp, String lastId, Instant now) {
        jdbc.sql("""
                INSERT INTO salesforce_watermark (object, modstamp, last_id, updated_at, seen_at)
                VALUES (:object, :modstamp, :lastId, :now, :now)
                ON CONFLICT (object) DO UPDATE SET modstamp = EXCLUDED.modstamp, last_id = EXCLUDED.last_id,
                       updated_at = EXCLUDED.updated_at,
                       seen_at = CASE WHEN EXCLUDED.modstamp > salesforce_watermark.modstamp THEN EXCLUDED.seen_at
                                      ELSE salesforce_watermark.seen_at END
                 WHERE salesforce_watermark.modstamp <= EXCLUDED.modstamp""")
                .param("object", object)
                .param("modstamp", Timestamp.from(modstamp))
                .param("lastId", lastId)
                .param("now", Timestamp.from(now))
                .update();
    }
}
