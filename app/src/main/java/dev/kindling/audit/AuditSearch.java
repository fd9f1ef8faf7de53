package dev.kindling.audit;

import dev.kindling.platform.web.Csv;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InputDates;
import dev.kindling.platform.web.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the audit log: newest first, filtered, a page at a time (cursor) or as CSV. */
@Component
public class AuditSearch {

    static final int MAX_LIMIT = 500;
    /** The most rows one CSV export holds; narrow the filters (time range) for more. */
    static final int CSV_MAX_ROWS = 50_000;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AuditSearch(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A recorded entry as the API and the page show it. */
    public record View(
            long id,
            Instant at,
            Actor actor,
            String objectType,
            String objectId,
            String action,
            JsonNode before,
            JsonNode after,
            boolean redacted) {}

    public record Page(List<View> items, String nextCursor) {}

    /**
     * The filters (null or blank means any): {@code actor} an email (user or key holder, case-insensitive) or
     * {@code "system"}; {@code apiKeyId}; {@code objectType}, {@code objectId}, {@code action}; {@code from}
     * (inclusive) and {@code to} (exclusive) ISO-8601 instants.
     */
    public record Filter(
            String actor, Long apiKeyId, String objectType, String objectId, String action, Instant from, Instant to) {

        /** The request parameters a filter reads. */
        public static final List<String> PARAMETERS =
                List.of("actor", "apiKeyId", "objectType", "objectId", "action", "from", "to");

        /**
         * Parses and validates the filter parameters, read one by one by name (never the whole parameter map, whose
         * hostile names the firewall refuses); every error listed at once.
         */
        public static Filter parse(Function<String, String> param) {
            Map<String, String> params = new HashMap<>();
            PARAMETERS.forEach(name -> params.put(name, param.apply(name)));
            List<FieldError> errors = new ArrayList<>();
            Long key = null;
            String rawKey = blankToNull(params.get("apiKeyId"));
            if (rawKey != null) {
                try {
                    key = Long.parseLong(rawKey);
                } catch (NumberFormatException e) {
                    errors.add(new FieldError("apiKeyId", "must be an API key id"));
                }
            }
            Instant from = instant(params.get("from"), "from", errors);
            Instant to = instant(params.get("to"), "to", errors);
            for (String text : List.of("actor", "objectType", "objectId", "action")) {
                String v = params.get(text);
                if (v != null && v.length() > 254) {
                    errors.add(new FieldError(text, "must be at most 254 characters"));
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            return new Filter(
                    blankToNull(params.get("actor")),
                    key,
                    blankToNull(params.get("objectType")),
                    blankToNull(params.get("objectId")),
                    blankToNull(params.get("action")),
                    from,
                    to);
        }

        private static Instant instant(String raw, String field, List<FieldError> errors) {
            String v = blankToNull(raw);
            if (v == null) {
                return null;
            }
            try {
                return InputDates.instant(v);
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(
                        field,
                        "must be an ISO-8601 instant of years " + InputDates.EARLIEST_YEAR + " to "
                                + InputDates.LATEST_YEAR + ", e.g. 2026-01-31T00:00:00Z"));
                return null;
            }
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }

    public Page page(Filter filter, int limit, String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw InvalidInputException.of("limit", "must be between 1 and " + MAX_LIMIT);
        }
        List<View> rows = query(filter, decode(cursor), limit + 1);
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = encode(rows.getLast().id());
        }
        return new Page(List.copyOf(rows), next);
    }

    /** Every entry about one object, oldest first (the privacy export). */
    public List<View> about(String objectType, String objectId) {
        return query(new Filter(null, null, objectType, objectId, null, null, null), null, CSV_MAX_ROWS)
                .reversed();
    }

    /** The matching entries as CSV (newest first, at most {@link #CSV_MAX_ROWS}), formula-guarded. */
    public String csv(Filter filter) {
        Csv csv = new Csv(
                "id",
                "at",
                "actor_type",
                "actor_email",
                "actor_user_id",
                "api_key_id",
                "api_key_name",
                "object_type",
                "object_id",
                "action",
                "before",
                "after");
        for (View v : query(filter, null, CSV_MAX_ROWS)) {
            csv.row(
                    v.id(),
                    v.at(),
                    v.actor().type(),
                    v.actor().email(),
                    v.actor().userId(),
                    v.actor().apiKeyId(),
                    v.actor().apiKeyName(),
                    v.objectType(),
                    v.objectId(),
                    v.action(),
                    v.before() == null ? "" : v.before().toString(),
                    v.after() == null ? "" : v.after().toString());
        }
        return csv.toString();
    }

    private List<View> query(Filter f, Long before, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT id, at, actor_type, actor_user_id, actor_email, api_key_id, api_key_name, object_type, object_id,
                       action, before::text AS before, after::text AS after, redacted
                  FROM audit_entry WHERE true""");
        Map<String, Object> params = new HashMap<>();
        if (f.actor() != null) {
            if (f.actor().equalsIgnoreCase("system")) {
                sql.append(" AND actor_type = 'SYSTEM'");
            } else {
                sql.append(" AND lower(actor_email) = lower(:actor)");
                params.put("actor", f.actor());
            }
        }
        if (f.apiKeyId() != null) {
            sql.append(" AND api_key_id = :key");
            params.put("key", f.apiKeyId());
        }
        if (f.objectType() != null) {
            sql.append(" AND object_type = :objectType");
            params.put("objectType", f.objectType());
        }
        if (f.objectId() != null) {
            sql.append(" AND object_id = :objectId");
            params.put("objectId", f.objectId());
        }
        if (f.action() != null) {
            sql.append(" AND action = :action");
            params.put("action", f.action());
        }
        if (f.from() != null) {
            sql.append(" AND at >= :from");
            params.put("from", Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND at < :to");
            params.put("to", Timestamp.from(f.to()));
        }
        if (before != null) {
            sql.append(" AND id < :before");
            params.put("before", before);
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        params.put("limit", limit);
        return new ArrayList<>(jdbc.sql(sql.toString())
                .params(params)
                .query((rs, n) -> new View(
                        rs.getLong("id"),
                        rs.getTimestamp("at").toInstant(),
                        new Actor(
                                rs.getString("actor_type"),
                                (Long) rs.getObject("actor_user_id"),
                                rs.getString("actor_email"),
                                (Long) rs.getObject("api_key_id"),
                                rs.getString("api_key_name")),
                        rs.getString("object_type"),
                        rs.getString("object_id"),
                        rs.getString("action"),
                        tree(rs.getString("before")),
                        tree(rs.getString("after")),
                        rs.getBoolean("redacted")))
                .list());
    }

    private JsonNode tree(String text) {
        return text == null ? null : json.readTree(text);
    }

    static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("a:" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Long decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith("a:")) {
                return Long.parseLong(decoded.substring(2));
            }
        } catch (IllegalArgumentException e) {
            // fall through: not ours
        }
        throw InvalidInputException.of("cursor", "is not a cursor this API issued");
    }
}
