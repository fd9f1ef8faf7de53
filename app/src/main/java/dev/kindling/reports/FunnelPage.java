package dev.kindling.reports;

import dev.kindling.platform.database.ReportDatabase;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /reports/funnel}: the lifecycle report as a page — a plain GET form of filters, the funnel and velocity
 * charts, the tables, and a CSV download of the same report ({@code /reports/funnel/export}, for the signed-in user;
 * the API's CSV needs an API key). Without dates it shows the last 90 days, cohort view, Pardot's steps.
 */
@Controller
class FunnelPage {

    static final int DEFAULT_DAYS = 90;

    private final LifecycleReport report;
    private final ReportDatabase reports;
    private final Clock clock;

    FunnelPage(LifecycleReport report, ReportDatabase reports, Clock clock) {
        this.report = report;
        this.reports = reports;
        this.clock = clock;
    }

    /** The form's values as entered, defaults filled in. */
    record Filters(String from, String to, String view, String model, String segment, String segmentValue) {}

    @GetMapping("/reports/funnel")
    String page(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String view,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String segmentValue,
            Model page,
            HttpServletResponse response) {
        Filters filters = filters(from, to, view, model, segment, segmentValue);
        page.addAttribute("filters", filters);
        try {
            LifecycleQuery query = LifecycleQuery.parse(
                    filters.from(),
                    filters.to(),
                    filters.view(),
                    filters.model(),
                    filters.segment(),
                    filters.segmentValue());
            ReportDatabase.Read<LifecycleFunnel> read = reports.read(() -> report.run(query));
            LifecycleFunnel funnel = read.value();
            page.addAttribute("report", funnel);
            page.addAttribute("freshness", read.freshness());
            page.addAttribute(
                    "charts",
                    java.util.List.of(FunnelChart.steps(funnel.total()), FunnelChart.velocity(funnel.total())));
        } catch (InvalidInputException e) {
            response.setStatus(e.status().value());
            page.addAttribute("errors", e.errors());
        }
        return "reports/funnel";
    }

    @GetMapping("/reports/funnel/export")
    ResponseEntity<String> export(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String view,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String segmentValue) {
        Filters f = filters(from, to, view, model, segment, segmentValue);
        LifecycleQuery query =
                LifecycleQuery.parse(f.from(), f.to(), f.view(), f.model(), f.segment(), f.segmentValue());
        return LifecycleReportController.csvResponse(
                reports.read(() -> report.run(query)).value());
    }

    private Filters filters(String from, String to, String view, String model, String segment, String segmentValue) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        boolean noPeriod = blank(from) && blank(to);
        return new Filters(
                noPeriod ? today.minusDays(DEFAULT_DAYS - 1).toString() : from,
                noPeriod ? today.toString() : to,
                blank(view) ? "cohort" : view,
                blank(model) ? "pardot" : model,
                blank(segment) ? "" : segment,
                blank(segmentValue) ? "" : segmentValue);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
