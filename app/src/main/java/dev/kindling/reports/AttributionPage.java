package dev.kindling.reports;

import dev.kindling.platform.database.ReportDatabase;
import dev.kindling.platform.web.BarChart;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /reports/attribution}: a GET form (period, model, basis, lookback, half-life), the credit per campaign as a
 * bar chart, the attribution and ROI tables, and, for a chosen campaign ({@code campaign=id}), its credit under every
 * model side by side and the opportunities and touches that earned it. CSV downloads of both tables for the
 * signed-in user. Without dates it shows the last 365 days.
 */
@Controller
class AttributionPage {

    static final int DEFAULT_DAYS = 365;

    private final AttributionReport report;
    private final ReportDatabase reports;
    private final Clock clock;

    private final dev.kindling.ui.Formats formats;

    AttributionPage(AttributionReport report, ReportDatabase reports, Clock clock, dev.kindling.ui.Formats formats) {
        this.formats = formats;
        this.report = report;
        this.reports = reports;
        this.clock = clock;
    }

    /** The form's values as entered, defaults filled in. */
    record Filters(String from, String to, String model, String basis, String lookbackDays, String halfLifeDays) {

        AttributionQuery query() {
            return AttributionQuery.parse(from, to, model, basis, lookbackDays, halfLifeDays);
        }
    }

    @GetMapping("/reports/attribution")
    String page(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String basis,
            @RequestParam(required = false) String lookbackDays,
            @RequestParam(required = false) String halfLifeDays,
            @RequestParam(required = false) Long campaign,
            Model page,
            HttpServletResponse response) {
        Filters filters = filters(from, to, model, basis, lookbackDays, halfLifeDays);
        page.addAttribute("filters", filters);
        page.addAttribute("models", List.of(dev.kindling.engine.attribution.AttributionModel.values()));
        try {
            AttributionQuery query = filters.query();
            ReportDatabase.Read<AttributionReport.Result> read = reports.read(() -> {
                AttributionReport.Result result = report.attribution(query);
                page.addAttribute("roi", report.campaigns(query));
                if (campaign != null) {
                    page.addAttribute("drill", report.drill(query, campaign));
                }
                return result;
            });
            page.addAttribute("report", read.value());
            page.addAttribute("chart", chart(read.value(), formats::money));
            page.addAttribute("freshness", read.freshness());
        } catch (InvalidInputException e) {
            response.setStatus(e.status().value());
            page.addAttribute("errors", e.errors());
        }
        return "reports/attribution";
    }

    @GetMapping("/reports/attribution/export")
    ResponseEntity<String> export(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String basis,
            @RequestParam(required = false) String lookbackDays,
            @RequestParam(required = false) String halfLifeDays,
            @RequestParam(defaultValue = "") String table,
            @RequestParam(required = false) Long campaign) {
        AttributionQuery query =
                filters(from, to, model, basis, lookbackDays, halfLifeDays).query();
        return reports.read(() -> {
                    if (campaign != null) {
                        return AttributionController.csv(query, report.drill(query, campaign));
                    }
                    return table.equals("campaigns")
                            ? AttributionController.csv(report.campaigns(query))
                            : AttributionController.csv(report.attribution(query));
                })
                .value();
    }

    static BarChart chart(
            AttributionReport.Result result, java.util.function.Function<java.math.BigDecimal, String> money) {
        return BarChart.of(
                "attribution-chart",
                "Credit per campaign (" + result.model().toLowerCase(Locale.ROOT) + ", "
                        + result.basis().toLowerCase(Locale.ROOT) + ")",
                result.rows().stream()
                        .map(r -> new BarChart.Item(
                                r.campaignId() == null ? "none" : r.campaignId().toString(),
                                r.campaignName(),
                                r.credit().doubleValue(),
                                money.apply(r.credit()),
                                r.campaignName() + ": " + money.apply(r.credit()) + " from "
                                        + r.opportunities().stripTrailingZeros().toPlainString() + " opportunities",
                                null))
                        .toList());
    }

    private Filters filters(
            String from, String to, String model, String basis, String lookbackDays, String halfLifeDays) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        boolean noPeriod = LifecycleQuery.blank(from) && LifecycleQuery.blank(to);
        return new Filters(
                noPeriod ? today.minusDays(DEFAULT_DAYS - 1).toString() : from,
                noPeriod ? today.toString() : to,
                or(model, "w_shaped"),
                or(basis, "pipeline"),
                or(lookbackDays, "365"),
                or(halfLifeDays, "7"));
    }

    private static String or(String value, String absent) {
        return LifecycleQuery.blank(value) ? absent : value.strip().toLowerCase(Locale.ROOT);
    }
}
