package dev.kindling.intake;

import jakarta.servlet.http.HttpServletResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The visitor pages: {@code /visitors} (browsers seen by the tracking script, newest visit first: first and last visit,
 * page views, the referrer and UTM source of the first visit, and — once the visitor is identified — the prospect and
 * company, from the prospect's company, its account or its email domain) and {@code /visitors/{id}} (the page views).
 * Bots are left out unless asked for. Read-only, for every signed-in user.
 */
@Controller
class VisitorPages {

    static final int PAGE = 50;

    private final JdbcClient jdbc;

    VisitorPages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A visitor in the list. */
    record Row(
            String id,
            Instant firstSeen,
            Instant lastSeen,
            long pageViews,
            String referrer,
            String utmSource,
            Long prospectId,
            String prospectEmail,
            String company,
            boolean bot) {}

    /** One page view. */
    record View(Instant at, String url, String title, String referrer) {}

    private static final String SELECT = """
            SELECT v.id, v.first_seen_at, v.last_seen_at, v.bot, v.utm ->> 'utm_source' AS utm_source, v.prospect_id,
                   p.email,
                   coalesce(nullif(p.company, ''), acc.name, nullif(split_part(p.email, '@', 2), '')) AS company,
                   (SELECT count(*) FROM activity a WHERE a.visitor_id = v.id AND a.type = 'PAGE_VIEW') AS views,
                   (SELECT a.properties ->> 'referrer' FROM activity a WHERE a.visitor_id = v.id AND a.type = 'PAGE_VIEW'
                     ORDER BY a.occurred_at LIMIT 1) AS referrer
              FROM visitor v
              LEFT JOIN prospect p ON p.id = v.prospect_id
              LEFT JOIN account acc ON acc.id = p.account_id
            """;

    @GetMapping("/visitors")
    String index(
            @RequestParam(defaultValue = "all") String show, @RequestParam(defaultValue = "1") int page, Model model) {
        String filter = switch (show) {
            case "anonymous" -> " WHERE v.prospect_id IS NULL AND NOT v.bot";
            case "identified" -> " WHERE v.prospect_id IS NOT NULL AND NOT v.bot";
            case "bots" -> " WHERE v.bot";
            default -> " WHERE NOT v.bot";
        };
        int current = Math.max(1, Math.min(page, 10_000));
        List<Row> rows = jdbc.sql(SELECT + filter + " ORDER BY v.last_seen_at DESC, v.id LIMIT :limit OFFSET :offset")
                .param("limit", PAGE + 1)
                .param("offset", (current - 1) * PAGE)
                .query((rs, n) -> row(rs))
                .list();
        model.addAttribute("visitors", rows.stream().limit(PAGE).toList());
        model.addAttribute("hasNext", rows.size() > PAGE);
        model.addAttribute("page", current);
        model.addAttribute(
                "show", List.of("all", "anonymous", "identified", "bots").contains(show) ? show : "all");
        model.addAttribute(
                "counts",
                jdbc.sql("""
                        SELECT count(*) FILTER (WHERE prospect_id IS NULL AND NOT bot),
                               count(*) FILTER (WHERE prospect_id IS NOT NULL AND NOT bot)
                          FROM visitor""")
                        .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
                        .single());
        return "visitors/index";
    }

    @GetMapping("/visitors/{id}")
    String page(@PathVariable String id, Model model, HttpServletResponse response) {
        Row visitor = jdbc.sql(SELECT + " WHERE v.id = :id")
                .param("id", id)
                .query((rs, n) -> row(rs))
                .optional()
                .orElse(null);
        if (visitor == null) {
            response.setStatus(404);
            return "not-found";
        }
        model.addAttribute("visitor", visitor);
        model.addAttribute(
                "views",
                jdbc.sql("""
                        SELECT occurred_at, properties ->> 'url', properties ->> 'title', properties ->> 'referrer'
                          FROM activity WHERE visitor_id = :id AND type = 'PAGE_VIEW'
                         ORDER BY occurred_at DESC LIMIT 200""")
                        .param("id", id)
                        .query((rs, n) -> new View(
                                rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4)))
                        .list());
        return "visitors/page";
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp first = rs.getTimestamp("first_seen_at");
        Timestamp last = rs.getTimestamp("last_seen_at");
        return new Row(
                rs.getString("id"),
                first.toInstant(),
                last.toInstant(),
                rs.getLong("views"),
                rs.getString("referrer"),
                rs.getString("utm_source"),
                (Long) rs.getObject("prospect_id"),
                rs.getString("email"),
                rs.getString("company"),
                rs.getBoolean("bot"));
    }
}
