package dev.kindling.sales;

import dev.kindling.platform.database.ReportDatabase;
import dev.kindling.platform.web.BarChart;
import dev.kindling.platform.web.Csv;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * {@code /reports/weekly}: the weekly review on one page for a meeting screen — cards, server-drawn SVG charts and
 * the tables — and {@code /reports/weekly/{table}.csv} for every table; {@code GET /api/v1/reports/weekly} gives the
 * whole review as JSON ({@link WeeklyReviewCsv}: one table as CSV for API keys). Default period: the last 7 days.
 */
@Controller
class WeeklyReviewPage {

    static final List<String> TABLES = List.of(
            "follow-up",
            "not-followed",
            "reject-reasons",
            "mql-supply",
            "conversion",
            "win-rate-by-score",
            "win-rate-by-grade",
            "pipeline");

    private final WeeklyReview review;
    private final ReportDatabase reports;
    private final Clock clock;

    WeeklyReviewPage(WeeklyReview review, ReportDatabase reports, Clock clock) {
        this.review = review;
        this.reports = reports;
        this.clock = clock;
    }

    @GetMapping("/reports/weekly")
    String page(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            Model model,
            HttpServletResponse response) {
        try {
            Period period = Period.parse(from, to, WeeklyReview.DEFAULT_DAYS, clock);
            ReportDatabase.Read<WeeklyReview.Review> read = reports.read(() -> review.run(period));
            WeeklyReview.Review r = read.value();
            model.addAttribute("r", r);
            model.addAttribute("freshness", read.freshness());
            model.addAttribute("charts", charts(r));
            model.addAttribute("tables", TABLES);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("errors", e.errors());
        }
        return "sales/weekly";
    }

    /** The same numbers as JSON, for a dashboard of one's own (and the tests that check them). */
    @GetMapping(path = "/api/v1/reports/weekly", produces = "application/json")
    @ResponseBody
    WeeklyReview.Review json(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Period period = Period.parse(from, to, WeeklyReview.DEFAULT_DAYS, clock);
        return reports.read(() -> review.run(period)).value();
    }

    @GetMapping("/reports/weekly/{table}.csv")
    ResponseEntity<String> csv(
            @PathVariable String table,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        if (!TABLES.contains(table)) {
            throw InvalidInputException.of("table", "must be one of " + TABLES);
        }
        Period period = Period.parse(from, to, WeeklyReview.DEFAULT_DAYS, clock);
        WeeklyReview.Review r = reports.read(() -> review.run(period)).value();
        return SlaReportController.csvFile("weekly-" + table + "-" + r.from() + "-" + r.to() + ".csv", csv(table, r));
    }

    static String csv(String table, WeeklyReview.Review r) {
        return switch (table) {
            case "follow-up" -> SlaReportController.csv(r.followUp());
            case "not-followed" -> {
                Csv csv = new Csv("prospect_id", "email", "name", "owner", "assigned_at", "due_at", "attempts", "why");
                r.notFollowed()
                        .forEach(n -> csv.row(
                                n.prospectId(),
                                n.email(),
                                n.name(),
                                n.owner(),
                                n.assignedAt(),
                                n.dueAt(),
                                n.attempts(),
                                n.why()));
                yield csv.toString();
            }
            case "reject-reasons" -> {
                Csv csv = new Csv("reason", "leads");
                r.rejectReasons().forEach(c -> csv.row(c.key(), c.count()));
                yield csv.toString();
            }
            case "mql-supply" ->
                new Csv("month", "mqls", "target", "expected_by_now", "percent_of_target")
                        .row(
                                r.supply().month(),
                                r.supply().mqls(),
                                r.supply().target(),
                                r.supply().expectedByNow(),
                                r.supply().percentOfTarget())
                        .toString();
            case "conversion" ->
                new Csv("mql", "sal", "sql", "won", "sal_percent", "sql_percent", "won_percent")
                        .row(
                                r.conversion().mql(),
                                r.conversion().sal(),
                                r.conversion().sql(),
                                r.conversion().won(),
                                r.conversion().salPercent(),
                                r.conversion().sqlPercent(),
                                r.conversion().wonPercent())
                        .toString();
            case "win-rate-by-score" -> winRates("score_band", r.byScoreBand());
            case "win-rate-by-grade" -> winRates("grade", r.byGrade());
            default -> {
                Csv csv = new Csv("day", "opportunities_created", "amount");
                for (int i = 0; i < r.pipeline().byDay().size(); i++) {
                    csv.row(
                            r.pipeline().byDay().get(i).key(),
                            r.pipeline().byDay().get(i).count(),
                            r.pipeline().amountByDay().get(i).amount());
                }
                yield csv.toString();
            }
        };
    }

    private static String winRates(String key, List<WeeklyReview.WinRate> rates) {
        Csv csv = new Csv(key, "closed", "won", "win_percent", "average_won_amount");
        rates.forEach(w -> csv.row(w.key(), w.closed(), w.won(), w.winPercent(), w.averageWonAmount()));
        return csv.toString();
    }

    static List<BarChart> charts(WeeklyReview.Review r) {
        List<BarChart> charts = new ArrayList<>();
        SlaReport.Line t = r.followUp().total();
        charts.add(BarChart.of(
                "followup-chart",
                "Follow-up of the leads handed off",
                List.of(
                        value("MET", "Contacted in time", t.met()), value("BREACHED", "Breached", t.breached()),
                        value("OPEN", "Still open", t.open()), value("ACCEPTED", "Accepted (SAL)", t.accepted()),
                        value("CONVERTED", "Converted", t.converted()), value("REJECTED", "Rejected", t.rejected())),
                null,
                null));
        charts.add(BarChart.of(
                "supply-chart",
                "MQL supply this month against the target",
                List.of(
                        value("mqls", "MQLs so far", r.supply().mqls()),
                        BarChart.Item.of(
                                "expected",
                                "Expected by now",
                                r.supply().expectedByNow(),
                                String.valueOf(r.supply().expectedByNow()))),
                (double) r.supply().target(),
                "target " + r.supply().target()));
        charts.add(BarChart.of(
                "conversion-chart",
                "The period's MQLs: how far they went",
                List.of(
                        value("MQL", "MQL", r.conversion().mql()),
                                value("SAL", "SAL", r.conversion().sal()),
                        value("SQL", "SQL", r.conversion().sql()),
                                value("WON", "Won", r.conversion().won())),
                null,
                null));
        charts.add(BarChart.of(
                "score-band-chart",
                "Win rate by score band (closed in 12 months)",
                r.byScoreBand().stream()
                        .map(w -> BarChart.Item.of(
                                w.key(),
                                w.key(),
                                w.winPercent() == null ? 0 : w.winPercent(),
                                (w.winPercent() == null ? "–" : w.winPercent() + " %") + " of " + w.closed()))
                        .toList(),
                100.0,
                null));
        charts.add(BarChart.of(
                "grade-chart",
                "Win rate by grade (closed in 12 months)",
                r.byGrade().stream()
                        .map(w -> BarChart.Item.of(
                                w.key(),
                                w.key(),
                                w.winPercent() == null ? 0 : w.winPercent(),
                                (w.winPercent() == null ? "–" : w.winPercent() + " %") + " of " + w.closed()))
                        .toList(),
                100.0,
                null));
        return charts;
    }

    private static BarChart.Item value(String key, String label, long v) {
        return BarChart.Item.of(key, label, v, String.valueOf(v));
    }
}
