package dev.kindling.prospects.web;

import static dev.kindling.prospects.web.ProspectDirectory.instant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything the prospect page shows around the prospect's own fields: its account and owner,
 * its stage history, its activity timeline and the visitors (browsers) linked to it. Each part is
 * one query, whatever the number of rows.
 */
@Component
class ProspectDossier {

    static final int TIMELINE_PAGE = 100;
    static final int VISITORS_SHOWN = 20;
    static final int PAGE_VIEWS_PER_VISITOR = 25;

    /** Properties worth showing on a timeline line, in the order they are shown. */
    private static final List<String> KEY_PROPERTIES = List.of(
            "title",
            "url",
            "formName",
            "form",
            "subject",
            "name",
            "linkName",
            "fileName",
            "file",
            "campaign",
            "referrer",
            "reason",
            "value");

    private static final int KEY_PROPERTIES_SHOWN = 4;
    private static final int VALUE_SHOWN = 200;
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    public record Account(long id, String name, String domain) {}

    public record Owner(long id, String name, String email) {}

    public record StageChange(String from, String to, Instant at, String cause) {}

    /** One activity on the timeline with the few properties that say what happened. */
    public record TimelineEntry(
            long id,
            String type,
            String customName,
            Instant occurredAt,
            Map<String, String> highlights,
            boolean bot,
            boolean processed) {

        /** "Form submit" for FORM_SUBMIT; a custom activity by its own name. */
        public String label() {
            if (customName != null && !customName.isBlank()) {
                return customName;
            }
            String words = type.replace('_', ' ').toLowerCase(java.util.Locale.ROOT);
            return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
        }
    }

    public record Timeline(List<TimelineEntry> entries, int page, boolean hasNext) {

        public boolean hasPrevious() {
            return page > 1;
        }
    }

    public record PageView(Instant at, String url, String title) {}

    public record Visitor(
            String id,
            Instant firstSeenAt,
            Instant lastSeenAt,
            String userAgent,
            boolean bot,
            Instant linkedAt,
            List<PageView> pageViews) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ProspectDossier(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<Account> account(Long accountId) {
        if (accountId == null) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT id, name, domain FROM account WHERE id = :id")
                .param("id", accountId)
                .query((rs, n) -> new Account(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .optional();
    }

    Optional<Owner> owner(Long userId) {
        if (userId == null) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT id, name, email FROM app_user WHERE id = :id")
                .param("id", userId)
                .query((rs, n) -> new Owner(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .optional();
    }

    /** Newest first. */
    List<StageChange> stageHistory(long prospectId) {
        return jdbc.sql("""
                        SELECT from_stage, to_stage, at, cause FROM stage_transition
                        WHERE prospect_id = :id ORDER BY at DESC, id DESC""")
                .param("id", prospectId)
                .query((rs, n) ->
                        new StageChange(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), rs.getString(4)))
                .list();
    }

    /** A page of the prospect's activities, newest first; {@code page} counts from 1. */
    Timeline timeline(long prospectId, int page) {
        List<TimelineEntry> entries = jdbc.sql("""
                        SELECT id, type, custom_name, occurred_at, properties::text, bot,
                               processed_at IS NOT NULL
                               AND NOT EXISTS (SELECT 1 FROM activity_queue q WHERE q.activity_id = a.id)
                        FROM activity a WHERE prospect_id = :id
                        ORDER BY occurred_at DESC, id DESC
                        LIMIT :limit OFFSET :offset""")
                .param("id", prospectId)
                .param("limit", TIMELINE_PAGE + 1)
                .param("offset", (long) (page - 1) * TIMELINE_PAGE)
                .query((rs, n) -> new TimelineEntry(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        instant(rs.getTimestamp(4)),
                        highlights(rs.getString(5)),
                        rs.getBoolean(6),
                        rs.getBoolean(7)))
                .list();
        boolean hasNext = entries.size() > TIMELINE_PAGE;
        return new Timeline(hasNext ? List.copyOf(entries.subList(0, TIMELINE_PAGE)) : entries, page, hasNext);
    }

    /** The visitors linked to the prospect, most recently seen first, each with its latest page views. */
    List<Visitor> visitors(long prospectId) {
        record Row(String id, Instant first, Instant last, String agent, boolean bot, Instant linked) {}
        List<Row> rows = jdbc.sql("""
                        SELECT id, first_seen_at, last_seen_at, user_agent, bot, linked_at FROM visitor
                        WHERE prospect_id = :id ORDER BY last_seen_at DESC, id LIMIT :limit""")
                .param("id", prospectId)
                .param("limit", VISITORS_SHOWN)
                .query((rs, n) -> new Row(
                        rs.getString(1),
                        instant(rs.getTimestamp(2)),
                        instant(rs.getTimestamp(3)),
                        rs.getString(4),
                        rs.getBoolean(5),
                        instant(rs.getTimestamp(6))))
                .list();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<PageView>> views = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT visitor_id, occurred_at, properties::text FROM (
                            SELECT visitor_id, occurred_at, properties,
                                   row_number() OVER (PARTITION BY visitor_id ORDER BY occurred_at DESC, id DESC) AS n
                            FROM activity
                            WHERE visitor_id = ANY(:visitors) AND type = 'PAGE_VIEW'
                        ) v
                        WHERE n <= :perVisitor
                        ORDER BY visitor_id, occurred_at DESC""")
                .param("visitors", rows.stream().map(Row::id).toArray(String[]::new))
                .param("perVisitor", PAGE_VIEWS_PER_VISITOR)
                .query((rs, n) -> {
                    Map<String, Object> p = properties(rs.getString(3));
                    return views.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new PageView(instant(rs.getTimestamp(2)), shown(p.get("url")), shown(p.get("title"))));
                })
                .list();
        return rows.stream()
                .map(r -> new Visitor(
                        r.id(),
                        r.first(),
                        r.last(),
                        r.agent(),
                        r.bot(),
                        r.linked(),
                        views.getOrDefault(r.id(), List.of())))
                .toList();
    }

    private Map<String, String> highlights(String properties) {
        Map<String, Object> all = properties(properties);
        Map<String, String> shown = new LinkedHashMap<>();
        for (String key : KEY_PROPERTIES) {
            if (shown.size() == KEY_PROPERTIES_SHOWN) {
                break;
            }
            String value = shown(all.get(key));
            if (value != null && !value.isBlank()) {
                shown.put(key, value);
            }
        }
        return shown;
    }

    private Map<String, Object> properties(String text) {
        return text == null ? Map.of() : json.readValue(text, MAP);
    }

    private static String shown(Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString();
        return s.length() > VALUE_SHOWN ? s.substring(0, VALUE_SHOWN) + "…" : s;
    }
}
