package dev.kindling.reports;

import dev.kindling.platform.database.ReportDatabase;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /reports/kpis}: the KPI dashboard as a page — a plain GET form (period, trend by week or month), one tile per
 * KPI with the period's value beside the previous period's and a server-drawn trend chart, the assets' share of the
 * MQLs, and a CSV download ({@code /reports/kpis/export}, for the signed-in user). Without dates it shows this month
 * so far. The MQL target is edited with the SLA settings ({@code /sales/sla}), linked for ADMIN and MARKETING.
 */
@Controller
class KpiPage {

    private final KpiReport report;
    private final ReportDatabase reports;
    private final Clock clock;
    private final dev.kindling.ui.Formats formats;

    KpiPage(KpiReport report, ReportDatabase reports, Clock clock, dev.kindling.ui.Formats formats) {
        this.formats = formats;
        this.report = report;
        this.reports = reports;
        this.clock = clock;
    }

    /** The form's values as entered, defaults filled in. */
    record Filters(String from, String to, String period, String segment, String segmentValue) {}

    @GetMapping("/reports/kpis")
    String page(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String period,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String segmentValue,
            Authentication who,
            Model page,
            HttpServletResponse response) {
        Filters filters = filters(from, to, period, segment, segmentValue);
        page.addAttribute("filters", filters);
        page.addAttribute("mayEditTarget", Role.any(who, Role.ADMIN, Role.MARKETING));
        try {
            KpiQuery query = KpiQuery.parse(
                    filters.from(), filters.to(), filters.period(), filters.segment(), filters.segmentValue());
            ReportDatabase.Read<KpiDashboard> read = reports.read(() -> report.run(query));
            KpiDashboard dashboard = read.value();
            page.addAttribute("report", dashboard);
            page.addAttribute("freshness", read.freshness());
            page.addAttribute("tiles", KpiTile.of(dashboard, formats::money));
        } catch (InvalidInputException e) {
            response.setStatus(e.status().value());
            page.addAttribute("errors", e.errors());
        }
        return "reports/kpis";
    }

    @GetMapping("/reports/kpis/export")
    ResponseEntity<String> export(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String period,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String segmentValue) {
        Filters f = filters(from, to, period, segment, segmentValue);
        KpiQuery query = KpiQuery.parse(f.from(), f.to(), f.period(), f.segment(), f.segmentValue());
        return KpiController.csvResponse(reports.read(() -> report.run(query)).value());
    }

    private Filters filters(String from, String to, String period, String segment, String segmentValue) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        boolean noPeriod = blank(from) && blank(to);
        return new Filters(
                noPeriod ? today.withDayOfMonth(1).toString() : from,
                noPeriod ? today.toString() : to,
                blank(period) ? "month" : period,
                blank(segment) ? "" : segment,
                blank(segmentValue) ? "" : segmentValue);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
