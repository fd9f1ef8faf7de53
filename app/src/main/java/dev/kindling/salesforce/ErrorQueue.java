package dev.kindling.salesforce;

import dev.kindling.engine.crm.CrmErrors;
import dev.kindling.platform.web.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The error queue ({@code salesforce_error}): a record Salesforce or Kindling refused, with the raw message, the fields
 * involved and the record, at most one open entry per record (parking it again counts an attempt). It clears itself
 * when the record goes through later (a change in Salesforce, or a retry), or when an admin dismisses it.
 */
@Component
class ErrorQueue {

    /** Why Kindling refused a record read from Salesforce (its own validation). */
    static final String KINDLING_REFUSED = "KINDLING_VALIDATION";

    /** An open (or resolved) entry as the console shows it. */
    record Entry(
            long id,
            String object,
            String sfId,
            String kind,
            String code,
            String message,
            List<String> fields,
            int attempts,
            Instant firstAt,
            Instant lastAt,
            Instant resolvedAt,
            String resolution) {}

    /** The open entries of one kind. */
    record Group(String kind, long count, Instant oldest, List<Entry> entries) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    ErrorQueue(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** Parks a record's error, in the caller's transaction; the kind follows from the code. */
    void park(String object, String sfId, String code, String message, List<String> fields, Map<String, ?> record) {
        park(object, sfId, CrmErrors.kind(code).name(), code, message, fields, record);
    }

    void park(
            String object,
            String sfId,
            String kind,
            String code,
            String message,
            List<String> fields,
            Map<String, ?> record) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                INSERT INTO salesforce_error (object, sf_id, kind, code, message, fields, record, first_at, last_at)
                VALUES (:object, :sfId, :kind, :code, :message, :fields, CAST(:record AS jsonb), :now, :now)
                ON CONFLICT (object, sf_id) WHERE resolved_at IS NULL
                DO UPDATE SET kind = EXCLUDED.kind, code = EXCLUDED.code, message = EXCLUDED.message,
                       fields = EXCLUDED.fields, record = EXCLUDED.record,
                       attempts = salesforce_error.attempts + 1, last_at = EXCLUDED.last_at""")
                .param("object", object)
                .param("sfId", sfId)
                .param("kind", kind)
                .param("code", code)
                .param("message", message == null ? "" : message)
                .param("fields", fields.toArray(String[]::new))
                .param("record", json.writeValueAsString(record))
                .param("now", now)
                .update();
    }

    /** These records went through: their open entries are resolved as retried. */
    void cleared(String object, Collection<String> sfIds) {
        resolve(object, sfIds, "RETRIED");
    }

    /** Entries Salesforce no longer has: resolved as dismissed (nothing left to retry). */
    void gone(String object, Collection<String> sfIds) {
        resolve(object, sfIds, "DISMISSED");
    }

    private void resolve(String object, Collection<String> sfIds, String resolution) {
        if (sfIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                UPDATE salesforce_error SET resolved_at = :now, resolution = :resolution
                 WHERE object = :object AND sf_id = ANY(:ids) AND resolved_at IS NULL""")
                .param("now", Timestamp.from(clock.instant()))
                .param("resolution", resolution)
                .param("object", object)
                .param("ids", sfIds.toArray(String[]::new))
                .update();
    }

    /** The open entry, 404 when there is none with that id (or it is resolved). */
    Entry open(long id) {
        return jdbc.sql(SELECT + " WHERE id = :id AND resolved_at IS NULL")
                .param("id", id)
                .query(ErrorQueue::entry)
                .optional()
                .orElseThrow(() -> new NotFoundException("No open Salesforce error " + id));
    }

    /** The open entries (of one kind, or all when {@code kind} is null), oldest first, at most {@code limit}. */
    List<Entry> open(String kind, int limit) {
        return jdbc.sql(SELECT + " WHERE resolved_at IS NULL AND (CAST(:kind AS text) IS NULL OR kind = :kind)"
                        + " ORDER BY last_at, id LIMIT :limit")
                .param("kind", kind)
                .param("limit", limit)
                .query(ErrorQueue::entry)
                .list();
    }

    /** Open entries after {@code afterId} in id order, for the CSV export's pages. */
    List<Entry> openAfter(long afterId, int limit) {
        return jdbc.sql(SELECT + " WHERE resolved_at IS NULL AND id > :after ORDER BY id LIMIT :limit")
                .param("after", afterId)
                .param("limit", limit)
                .query(ErrorQueue::entry)
                .list();
    }

    /** The open entries grouped by kind (largest group first), each with its first {@code perKind} entries. */
    List<Group> groups(int perKind) {
        return jdbc
                .sql("""
                        SELECT kind, count(*), min(first_at) FROM salesforce_error WHERE resolved_at IS NULL
                         GROUP BY kind ORDER BY count(*) DESC, kind""")
                .query((rs, n) -> new Group(
                        rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant(), List.of()))
                .list()
                .stream()
                .map(g -> new Group(g.kind(), g.count(), g.oldest(), open(g.kind(), perKind)))
                .toList();
    }

    /** Dismisses open entries (one by id, or all of a kind, or all): they leave the queue; returns how many. */
    int dismiss(Long id, String kind) {
        return jdbc.sql("""
                        UPDATE salesforce_error SET resolved_at = :now, resolution = 'DISMISSED'
                         WHERE resolved_at IS NULL AND (CAST(:id AS bigint) IS NULL OR id = :id)
                           AND (CAST(:kind AS text) IS NULL OR kind = :kind)""")
                .param("now", Timestamp.from(clock.instant()))
                .param("id", id)
                .param("kind", kind)
                .update();
    }

    /** Open entries, per object, that a retry reads again (one by id, or all of a kind, or all). */
    Map<String, List<String>> toRetry(Long id, String kind) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        jdbc.sql("""
                        SELECT object, sf_id FROM salesforce_error
                         WHERE resolved_at IS NULL AND sf_id IS NOT NULL AND (CAST(:id AS bigint) IS NULL OR id = :id)
                           AND (CAST(:kind AS text) IS NULL OR kind = :kind)
                         ORDER BY object, id""").param("id", id).param("kind", kind).query(rs -> {
            out.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>())
                    .add(rs.getString(2));
        });
        return out;
    }

    /**
     * Open entries of Kindling's own pushes (prospects, campaign members, Campaigns it creates; one by id, or all of a
     * kind, or all): queued again by a retry.
     */
    List<Long> parkedPushes(Long id, String kind) {
        return jdbc.sql("""
                        SELECT id FROM salesforce_error
                         WHERE resolved_at IS NULL AND (record->>'prospectId' IS NOT NULL OR record->>'kindlingCampaignId' IS NOT NULL)
                           AND (CAST(:id AS bigint) IS NULL OR id = :id)
                           AND (CAST(:kind AS text) IS NULL OR kind = :kind)""")
                .param("id", id)
                .param("kind", kind)
                .query(Long.class)
                .list();
    }

    long openCount() {
        return jdbc.sql("SELECT count(*) FROM salesforce_error WHERE resolved_at IS NULL")
                .query(Long.class)
                .single();
    }

    private static final String SELECT = """
            SELECT id, object, sf_id, kind, code, message, fields, attempts, first_at, last_at, resolved_at, resolution
              FROM salesforce_error""";

    private static Entry entry(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp resolved = rs.getTimestamp("resolved_at");
        return new Entry(
                rs.getLong("id"),
                rs.getString("object"),
                rs.getString("sf_id"),
                rs.getString("kind"),
                rs.getString("code"),
                rs.getString("message"),
                List.of((String[]) rs.getArray("fields").getArray()),
                rs.getInt("attempts"),
                rs.getTimestamp("first_at").toInstant(),
                rs.getTimestamp("last_at").toInstant(),
                resolved == null ? null : resolved.toInstant(),
                rs.getString("resolution"));
    }
}
