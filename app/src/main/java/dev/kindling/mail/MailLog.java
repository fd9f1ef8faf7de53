package dev.kindling.mail;

import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads the mail outbox for the Outbox page and {@code GET /api/v1/outbox}: newest first, by status. */
@Component
class MailLog {

    static final List<String> STATUSES = List.of("PENDING", "SENT", "FAILED", "LOCAL", "HELD");
    static final int MAX_LIMIT = 500;

    /** One row of the list. */
    record MailSummary(
            long id,
            String kind,
            String to,
            String subject,
            String status,
            int attempts,
            String lastError,
            Instant createdAt,
            Instant sentAt,
            Instant nextAttemptAt,
            Long prospectId) {}

    /** One mail with everything it is sent with. */
    record MailView(
            long id,
            String dedupeKey,
            String kind,
            String to,
            String subject,
            String text,
            String html,
            Map<String, String> headers,
            String status,
            int attempts,
            String lastError,
            Instant createdAt,
            Instant sentAt,
            Instant nextAttemptAt,
            String messageId,
            Long prospectId) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;

    MailLog(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The newest mails (with {@code status}, if given) before the row id {@code before}. */
    List<MailSummary> list(String status, int limit, Long before) {
        if (status != null && !status.isBlank() && !STATUSES.contains(status)) {
            throw InvalidInputException.of("status", "must be one of " + String.join(", ", STATUSES));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw InvalidInputException.of("limit", "must be from 1 to " + MAX_LIMIT);
        }
        return jdbc.sql("""
                        SELECT id, kind, to_address, subject, status, attempts, last_error, created_at, sent_at,
                               next_attempt_at, prospect_id
                          FROM mail_outbox
                         WHERE (CAST(:status AS text) IS NULL OR status = :status)
                           AND (CAST(:before AS bigint) IS NULL OR id < :before)
                         ORDER BY id DESC LIMIT :limit""")
                .param("status", status == null || status.isBlank() ? null : status)
                .param("before", before)
                .param("limit", limit)
                .query((rs, n) -> new MailSummary(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getInt(6),
                        rs.getString(7),
                        instant(rs, 8),
                        instant(rs, 9),
                        instant(rs, 10),
                        (Long) rs.getObject(11)))
                .list();
    }

    MailView get(long id) {
        return jdbc.sql("""
                        SELECT id, dedupe_key, kind, to_address, subject, text_body, html_body, headers::text, status,
                               attempts, last_error, created_at, sent_at, next_attempt_at, message_id, prospect_id
                          FROM mail_outbox WHERE id = :id""")
                .param("id", id)
                .query((rs, n) -> new MailView(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        json.readValue(rs.getString(8), new TypeReference<Map<String, String>>() {}),
                        rs.getString(9),
                        rs.getInt(10),
                        rs.getString(11),
                        instant(rs, 12),
                        instant(rs, 13),
                        instant(rs, 14),
                        rs.getString(15),
                        (Long) rs.getObject(16)))
                .optional()
                .orElseThrow(() -> new NotFoundException("No mail " + id + " in the outbox"));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
