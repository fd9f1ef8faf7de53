package dev.kindling.intake;

import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A prospect's activities, newest first, in pages. The cursor is the (occurredAt, id) of the last
 * item shown, so pages stay stable while new activities arrive.
 */
@Component
public class ActivityTimeline {

    private static final TypeReference<Map<String, String>> PROPERTIES = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ActivityTimeline(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A page of activities; {@code nextCursor} is null on the last page. */
    public record Page(List<ActivityView> items, String nextCursor) {}

    /** The prospect's activities after {@code cursor} (null: from the newest); 404 for an unknown prospect. */
    public Page of(long prospectId, int limit, String cursor) {
        Position after = Position.decode(cursor);
        boolean exists = jdbc.sql("SELECT EXISTS (SELECT 1 FROM prospect WHERE id = :id)")
                .param("id", prospectId)
                .query(Boolean.class)
                .single();
        if (!exists) {
            throw new NotFoundException("No prospect " + prospectId);
        }
        String sql = """
                SELECT id, external_id, type, custom_name, occurred_at, received_at, prospect_id, visitor_id,
                       campaign_id, properties::text AS properties, bot, failed_reason,
                       CASE WHEN NOT EXISTS (SELECT 1 FROM activity_queue q WHERE q.activity_id = a.id)
                            THEN processed_at END AS processed_at
                  FROM activity a
                 WHERE prospect_id = :prospect
                """ + (after == null ? "" : " AND (occurred_at, id) < (:occurred, :id)") + """
                 ORDER BY occurred_at DESC, id DESC
                 LIMIT :limit""";
        var statement = jdbc.sql(sql).param("prospect", prospectId).param("limit", limit + 1);
        if (after != null) {
            statement = statement
                    .param("occurred", Timestamp.from(after.occurredAt()))
                    .param("id", after.id());
        }
        List<ActivityView> rows = statement.query(this::view).list();
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        List<ActivityView> page = rows.subList(0, limit);
        ActivityView last = page.get(limit - 1);
        return new Page(List.copyOf(page), new Position(last.occurredAt(), last.id()).encode());
    }

    private ActivityView view(ResultSet rs, int row) throws SQLException {
        return new ActivityView(
                rs.getLong("id"),
                rs.getString("external_id"),
                rs.getString("type"),
                rs.getString("custom_name"),
                instant(rs, "occurred_at"),
                instant(rs, "received_at"),
                (Long) rs.getObject("prospect_id"),
                rs.getString("visitor_id"),
                (Long) rs.getObject("campaign_id"),
                json.readValue(rs.getString("properties"), PROPERTIES),
                rs.getBoolean("bot"),
                instant(rs, "processed_at"),
                rs.getString("failed_reason"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private record Position(Instant occurredAt, long id) {

        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(("a:" + occurredAt + "/" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            if (cursor == null || cursor.isBlank()) {
                return null;
            }
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int slash = decoded.lastIndexOf('/');
                if (decoded.startsWith("a:") && slash > 2) {
                    return new Position(
                            Instant.parse(decoded.substring(2, slash)), Long.parseLong(decoded.substring(slash + 1)));
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // reported below
            }
            throw InvalidInputException.of("cursor", "is not a cursor this API issued");
        }
    }
}
