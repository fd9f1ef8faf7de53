package dev.kindling.campaigns;

import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.FieldMessages;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The campaign pages: {@code /campaigns} (every campaign with its parent, cost and prospects acquired, and a form to
 * create one) and {@code /campaigns/{id}} (what it touched: prospects acquired, activities, MQLs, opportunities and
 * revenue; edit; delete while nothing refers to it). Validated exactly like the API.
 */
@Controller
class CampaignPages {

    private final Campaigns campaigns;
    private final JdbcClient jdbc;

    CampaignPages(Campaigns campaigns, JdbcClient jdbc) {
        this.campaigns = campaigns;
        this.jdbc = jdbc;
    }

    /** A campaign in the list. */
    record Row(
            long id,
            String name,
            String channel,
            BigDecimal cost,
            java.time.LocalDate startDate,
            java.time.LocalDate endDate,
            Long parentId,
            String parentName,
            long acquired) {}

    /** What a campaign touched: prospects with one of its activities or acquired by it, and their opportunities. */
    record Figures(long acquired, long activities, long touched, long mqls, long opportunities, long open, long won) {}

    /** Won revenue and open pipeline in one currency. */
    record Money(String currency, BigDecimal won, BigDecimal open) {}

    /** The form as typed, kept to show it again with its errors. */
    record Input(String name, String channel, String cost, String startDate, String endDate, String parentId) {

        static Input of(Campaign c) {
            return new Input(
                    c.name(),
                    c.channel().name(),
                    c.cost().toPlainString(),
                    c.startDate() == null ? "" : c.startDate().toString(),
                    c.endDate() == null ? "" : c.endDate().toString(),
                    c.parentId() == null ? "" : c.parentId().toString());
        }

        Map<String, Object> raw() {
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("name", name);
            raw.put("channel", channel.isBlank() ? null : channel);
            if (!cost.isBlank()) {
                try {
                    raw.put("cost", new BigDecimal(cost.strip().replace(",", "")));
                } catch (NumberFormatException e) {
                    raw.put("cost", cost);
                }
            }
            raw.put("startDate", startDate.isBlank() ? null : startDate.strip());
            raw.put("endDate", endDate.isBlank() ? null : endDate.strip());
            if (!parentId.isBlank()) {
                try {
                    raw.put("parentId", Long.parseLong(parentId.strip()));
                } catch (NumberFormatException e) {
                    raw.put("parentId", parentId);
                }
            }
            return raw;
        }
    }

    @GetMapping("/campaigns")
    String index(Model model) {
        return index(model, new Input("", "EMAIL", "0", "", "", ""), List.of());
    }

    @PostMapping("/campaigns")
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String channel,
            @RequestParam(defaultValue = "") String cost,
            @RequestParam(defaultValue = "") String startDate,
            @RequestParam(defaultValue = "") String endDate,
            @RequestParam(defaultValue = "") String parentId,
            Model model,
            HttpServletResponse response) {
        Input input = new Input(name, channel, cost, startDate, endDate, parentId);
        try {
            Campaign created = campaigns.create(CampaignController.validated(input.raw()));
            return "redirect:/campaigns/" + created.id();
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return index(model, input, e.errors());
        }
    }

    private String index(Model model, Input input, List<FieldError> errors) {
        model.addAttribute("campaigns", rows());
        model.addAttribute("input", input);
        model.addAttribute("errors", FieldMessages.of(errors));
        model.addAttribute("channels", Arrays.asList(Campaign.Channel.values()));
        return "campaigns/index";
    }

    @GetMapping("/campaigns/{id}")
    String page(@PathVariable long id, Model model, HttpServletResponse response) {
        Campaign campaign = campaigns.find(id).orElse(null);
        if (campaign == null) {
            response.setStatus(404);
            return "not-found";
        }
        return page(model, campaign, Input.of(campaign), List.of());
    }

    @PostMapping("/campaigns/{id}")
    String update(
            @PathVariable long id,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String channel,
            @RequestParam(defaultValue = "") String cost,
            @RequestParam(defaultValue = "") String startDate,
            @RequestParam(defaultValue = "") String endDate,
            @RequestParam(defaultValue = "") String parentId,
            Model model,
            HttpServletResponse response) {
        Campaign campaign = campaigns.get(id);
        Input input = new Input(name, channel, cost, startDate, endDate, parentId);
        try {
            campaigns.update(id, CampaignController.validated(input.raw()));
            return "redirect:/campaigns/" + id;
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return page(model, campaign, input, e.errors());
        }
    }

    @PostMapping("/campaigns/{id}/delete")
    String delete(@PathVariable long id, Model model, HttpServletResponse response) {
        Campaign campaign = campaigns.get(id);
        try {
            campaigns.delete(id);
            return "redirect:/campaigns";
        } catch (ConflictException e) {
            response.setStatus(409);
            return page(model, campaign, Input.of(campaign), List.of(new FieldError("", e.getMessage())));
        }
    }

    private String page(Model model, Campaign campaign, Input input, List<FieldError> errors) {
        model.addAttribute("campaign", campaign);
        model.addAttribute(
                "mayWrite",
                Role.any(SecurityContextHolder.getContext().getAuthentication(), Role.ADMIN, Role.MARKETING));
        model.addAttribute(
                "parent",
                campaign.parentId() == null
                        ? null
                        : campaigns.find(campaign.parentId()).orElse(null));
        List<Row> rows = rows();
        model.addAttribute(
                "children",
                rows.stream()
                        .filter(r -> Long.valueOf(campaign.id()).equals(r.parentId()))
                        .toList());
        model.addAttribute("figures", figures(campaign.id()));
        model.addAttribute("money", money(campaign.id()));
        model.addAttribute("input", input);
        model.addAttribute("errors", FieldMessages.of(errors));
        model.addAttribute("channels", Arrays.asList(Campaign.Channel.values()));
        model.addAttribute(
                "others", rows.stream().filter(r -> r.id() != campaign.id()).toList());
        return "campaigns/page";
    }

    private List<Row> rows() {
        return jdbc.sql("""
                        SELECT c.id, c.name, c.channel, c.cost, c.start_date, c.end_date, c.parent_id, p.name AS parent_name,
                               coalesce(a.n, 0) AS acquired
                          FROM campaign c
                          LEFT JOIN campaign p ON p.id = c.parent_id
                          LEFT JOIN (SELECT campaign_id, count(*) AS n FROM prospect WHERE campaign_id IS NOT NULL
                                      GROUP BY campaign_id) a ON a.campaign_id = c.id
                         ORDER BY c.id DESC""")
                .query((rs, n) -> new Row(
                        rs.getLong("id"),
                        rs.getString("name"),
                        rs.getString("channel"),
                        rs.getBigDecimal("cost"),
                        rs.getDate("start_date") == null
                                ? null
                                : rs.getDate("start_date").toLocalDate(),
                        rs.getDate("end_date") == null
                                ? null
                                : rs.getDate("end_date").toLocalDate(),
                        (Long) rs.getObject("parent_id"),
                        rs.getString("parent_name"),
                        rs.getLong("acquired")))
                .list();
    }

    private static final String TOUCHED = """
            WITH touched AS (
                SELECT prospect_id FROM activity WHERE campaign_id = :id AND prospect_id IS NOT NULL
                UNION SELECT id FROM prospect WHERE campaign_id = :id),
            opps AS (
                SELECT o.id, o.status, o.amount, o.currency FROM opportunity o
                 WHERE o.primary_campaign_id = :id
                    OR EXISTS (SELECT 1 FROM opportunity_contact_role r JOIN touched t ON t.prospect_id = r.prospect_id
                                WHERE r.opportunity_id = o.id))
            """;

    private Figures figures(long id) {
        return jdbc.sql(TOUCHED + """
                        SELECT (SELECT count(*) FROM prospect WHERE campaign_id = :id) AS acquired,
                               (SELECT count(*) FROM activity WHERE campaign_id = :id) AS activities,
                               (SELECT count(*) FROM touched) AS touched,
                               (SELECT count(*) FROM touched t JOIN stage_reached s
                                    ON s.prospect_id = t.prospect_id AND s.stage = 'MQL') AS mqls,
                               (SELECT count(*) FROM opps) AS opportunities,
                               (SELECT count(*) FROM opps WHERE status = 'OPEN') AS open,
                               (SELECT count(*) FROM opps WHERE status = 'WON') AS won""")
                .param("id", id)
                .query((rs, n) -> new Figures(
                        rs.getLong("acquired"),
                        rs.getLong("activities"),
                        rs.getLong("touched"),
                        rs.getLong("mqls"),
                        rs.getLong("opportunities"),
                        rs.getLong("open"),
                        rs.getLong("won")))
                .single();
    }

    private List<Money> money(long id) {
        return jdbc.sql(TOUCHED + """
                        SELECT currency, coalesce(sum(amount) FILTER (WHERE status = 'WON'), 0) AS won,
                               coalesce(sum(amount) FILTER (WHERE status = 'OPEN'), 0) AS open
                          FROM opps GROUP BY currency ORDER BY currency""")
                .param("id", id)
                .query((rs, n) ->
                        new Money(rs.getString("currency"), rs.getBigDecimal("won"), rs.getBigDecimal("open")))
                .list();
    }
}
