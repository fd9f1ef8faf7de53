package dev.kindling.sales;

import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /sales/sla}: the SLA report for a period (per rep and team, CSV download) and the SLA settings form
 * (ADMIN and MARKETING save, as on the API).
 */
@Controller
class SlaPage {

    private final SlaReport report;
    private final SalesSettings settings;
    private final TransactionTemplate tx;
    private final Clock clock;

    SlaPage(SlaReport report, SalesSettings settings, TransactionTemplate tx, Clock clock) {
        this.report = report;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
    }

    @GetMapping("/sales/sla")
    String page(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            Model model,
            Authentication who,
            HttpServletResponse response) {
        try {
            SlaReport.Report r = report.run(Period.parse(from, to, SlaReportController.DEFAULT_DAYS, clock));
            model.addAttribute("report", r);
            List<SlaReport.Line> lines = new java.util.ArrayList<>(r.reps());
            lines.addAll(r.teams());
            lines.add(r.total());
            model.addAttribute("slaLines", lines);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("errors", e.errors());
        }
        if (!model.containsAttribute("settings")) {
            model.addAttribute("settings", settings.current());
        }
        model.addAttribute("mayConfigure", mayConfigure(who));
        return "sales/sla";
    }

    @GetMapping("/sales/sla/export")
    ResponseEntity<String> export(
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        SlaReport.Report r = report.run(Period.parse(from, to, SlaReportController.DEFAULT_DAYS, clock));
        return SlaReportController.csvFile("sla-" + r.from() + "-" + r.to() + ".csv", SlaReportController.csv(r));
    }

    @PostMapping("/sales/sla")
    String save(
            @RequestParam Map<String, String> form,
            @RequestParam(required = false) List<String> days,
            Authentication who,
            Model model,
            HttpServletResponse response) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("firstContactHours", number(form.get("firstContactHours")));
        raw.put("minAttempts", number(form.get("minAttempts")));
        raw.put("atRiskPercent", number(form.get("atRiskPercent")));
        raw.put("monthlyMqlTarget", number(form.get("monthlyMqlTarget")));
        Map<String, Object> hours = new LinkedHashMap<>();
        hours.put("enabled", "on".equals(form.get("businessHours")));
        if (days != null && !days.isEmpty()) {
            hours.put("days", List.copyOf(days));
        }
        hours.put("start", form.get("start"));
        hours.put("end", form.get("end"));
        hours.put("zone", form.get("zone"));
        raw.put("businessHours", hours);
        try {
            SalesSettings.Settings parsed = SlaSettingsController.parse(raw);
            // a new window applies to handoffs opened from now on; open ones keep the deadline they were given
            tx.executeWithoutResult(s -> settings.save(parsed));
            return "redirect:/sales/sla?saved";
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("settingsErrors", e.errors());
            return page(null, null, model, who, response);
        }
    }

    private static Object number(String text) {
        try {
            return text == null ? null : Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return text;
        }
    }

    static boolean mayConfigure(Authentication who) {
        return Role.any(who, Role.ADMIN, Role.MARKETING);
    }
}
