package dev.kindling.prospects.web;

import dev.kindling.platform.database.AppSettings;
import dev.kindling.platform.security.Role;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The account pages (account-based marketing): {@code /accounts} lists companies with their contacts, the account's
 * engagement score (the sum or the maximum of its prospects' scores: a setting), best grade, stage mix, open and won
 * opportunities and last activity, most engaged first; {@code /accounts/{id}} shows the buying committee — every
 * contact with the roles they hold on opportunities — and the opportunities (the account's own, or one of its contacts
 * holds a role on them). The engagement setting
 * is changed by ADMIN and MARKETING.
 */
@Controller
class AccountPages {

    static final int PAGE = 50;
    static final String SETTING = "accounts.engagement";

    private final JdbcClient jdbc;
    private final AppSettings settings;

    AccountPages(JdbcClient jdbc, AppSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /** An account in the list. */
    record Row(
            long id,
            String name,
            String domain,
            long contacts,
            long engagement,
            String bestGrade,
            String stageMix,
            long openOpportunities,
            long wonOpportunities,
            Instant lastActivity) {}

    /** A contact of an account with its roles on the account's opportunities. */
    record Contact(
            long id,
            String email,
            String name,
            String jobTitle,
            int score,
            String grade,
            String stage,
            String roles,
            Instant lastActivity) {}

    /** An opportunity of the account. */
    record Opportunity(long id, String name, String status, BigDecimal amount, String currency, String stage) {}

    /** The account's own fields. */
    record Account(
            long id, String name, String domain, String industry, Integer employees, String country, String tier) {}

    /** SUM or MAX: how an account's engagement score is made from its prospects' scores. */
    String engagement() {
        return settings.value(SETTING).filter(v -> v.equals("MAX")).orElse("SUM");
    }

    private static final String AGGREGATES = """
            SELECT a.id, a.name, a.domain, count(p.id) AS contacts,
                   coalesce(CASE WHEN :mode = 'MAX' THEN max(p.score) ELSE sum(p.score) END, 0) AS engagement,
                   (array_agg(p.grade ORDER BY grade_rank(p.grade) DESC NULLS LAST))[1] AS best_grade,
                   (SELECT string_agg(s.stage || ' ' || s.n, ' · ' ORDER BY s.n DESC, s.stage)
                      FROM (SELECT stage, count(*) AS n FROM prospect WHERE account_id = a.id GROUP BY stage) s) AS stage_mix,
                   (SELECT count(*) FROM opportunity o WHERE o.status = 'OPEN' AND (o.account_id = a.id OR o.id IN (
                        SELECT r.opportunity_id FROM opportunity_contact_role r JOIN prospect c ON c.id = r.prospect_id
                         WHERE c.account_id = a.id))) AS open_opps,
                   (SELECT count(*) FROM opportunity o WHERE o.status = 'WON' AND (o.account_id = a.id OR o.id IN (
                        SELECT r.opportunity_id FROM opportunity_contact_role r JOIN prospect c ON c.id = r.prospect_id
                         WHERE c.account_id = a.id))) AS won_opps,
                   max(p.last_activity_at) AS last_activity
              FROM account a LEFT JOIN prospect p ON p.account_id = a.id
            """;

    @GetMapping("/accounts")
    String index(
            @RequestParam(defaultValue = "") String q,
            @RequestParam(defaultValue = "1") int page,
            Model model,
            Authentication user) {
        int current = Math.max(1, Math.min(page, 10_000));
        String mode = engagement();
        String like = "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        List<Row> rows = jdbc.sql(AGGREGATES + """
                         WHERE (:q = '' OR a.name ILIKE :like OR a.domain ILIKE :like)
                         GROUP BY a.id
                         ORDER BY engagement DESC, a.id
                         LIMIT :limit OFFSET :offset""")
                .param("mode", mode)
                .param("q", q.strip())
                .param("like", like)
                .param("limit", PAGE + 1)
                .param("offset", (current - 1) * PAGE)
                .query((rs, n) -> row(rs))
                .list();
        model.addAttribute("accounts", rows.stream().limit(PAGE).toList());
        model.addAttribute("hasNext", rows.size() > PAGE);
        model.addAttribute("page", current);
        model.addAttribute("q", q);
        model.addAttribute("mode", mode);
        model.addAttribute("mayWrite", Role.any(user, Role.ADMIN, Role.MARKETING));
        return "accounts/index";
    }

    @PostMapping("/accounts/engagement")
    String setEngagement(@RequestParam(defaultValue = "") String mode, HttpServletResponse response) {
        if (!mode.equals("SUM") && !mode.equals("MAX")) {
            throw dev.kindling.platform.web.InvalidInputException.of("mode", "must be SUM or MAX");
        }
        settings.put(SETTING, mode);
        return "redirect:/accounts";
    }

    @GetMapping("/accounts/{id}")
    String page(@PathVariable long id, Model model, HttpServletResponse response) {
        Account account = jdbc.sql(
                        "SELECT id, name, domain, industry, employees, country, tier FROM account WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> new Account(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        (Integer) rs.getObject(5),
                        rs.getString(6),
                        rs.getString(7)))
                .optional()
                .orElse(null);
        if (account == null) {
            response.setStatus(404);
            return "not-found";
        }
        String mode = engagement();
        model.addAttribute("account", account);
        model.addAttribute("mode", mode);
        model.addAttribute(
                "figures",
                jdbc.sql(AGGREGATES + " WHERE a.id = :id GROUP BY a.id")
                        .param("mode", mode)
                        .param("id", id)
                        .query((rs, n) -> row(rs))
                        .single());
        model.addAttribute(
                "committee",
                jdbc.sql("""
                        SELECT p.id, p.email, concat_ws(' ', p.first_name, p.last_name) AS name, p.job_title, p.score,
                               p.grade, p.stage, p.last_activity_at,
                               (SELECT string_agg(DISTINCT r.role || CASE WHEN r.is_primary THEN ' (primary)' ELSE '' END, ', ')
                                  FROM opportunity_contact_role r JOIN opportunity o ON o.id = r.opportunity_id
                                 WHERE r.prospect_id = p.id) AS roles
                          FROM prospect p WHERE p.account_id = :id
                         ORDER BY (SELECT count(*) FROM opportunity_contact_role r WHERE r.prospect_id = p.id) DESC,
                                  p.score DESC, p.id
                         LIMIT 200""")
                        .param("id", id)
                        .query((rs, n) -> {
                            Timestamp last = rs.getTimestamp("last_activity_at");
                            return new Contact(
                                    rs.getLong("id"),
                                    rs.getString("email"),
                                    rs.getString("name"),
                                    rs.getString("job_title"),
                                    rs.getInt("score"),
                                    rs.getString("grade"),
                                    rs.getString("stage"),
                                    rs.getString("roles"),
                                    last == null ? null : last.toInstant());
                        })
                        .list());
        model.addAttribute(
                "opportunities",
                jdbc.sql("""
                        SELECT id, name, status, amount, currency, stage FROM opportunity
                         WHERE account_id = :id OR id IN (
                               SELECT r.opportunity_id FROM opportunity_contact_role r JOIN prospect c ON c.id = r.prospect_id
                                WHERE c.account_id = :id)
                         ORDER BY status = 'OPEN' DESC, id DESC LIMIT 100""")
                        .param("id", id)
                        .query((rs, n) -> new Opportunity(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getBigDecimal(4),
                                rs.getString(5),
                                rs.getString(6)))
                        .list());
        return "accounts/page";
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp last = rs.getTimestamp("last_activity");
        return new Row(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("domain"),
                rs.getLong("contacts"),
                rs.getLong("engagement"),
                rs.getString("best_grade"),
                rs.getString("stage_mix"),
                rs.getLong("open_opps"),
                rs.getLong("won_opps"),
                last == null ? null : last.toInstant());
    }
}
