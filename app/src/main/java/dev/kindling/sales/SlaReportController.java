package dev.kindling.sales;

import dev.kindling.platform.web.Csv;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/reports/sla?from=&to=} (dates, UTC days, default the last 30): JSON, or CSV with
 * {@code Accept: text/csv} — one row per rep, team and the total.
 */
@RestController
class SlaReportController {

    static final int DEFAULT_DAYS = 30;

    private final SlaReport report;
    private final Clock clock;

    SlaReportController(SlaReport report, Clock clock) {
        this.report = report;
        this.clock = clock;
    }

    @GetMapping(path = "/api/v1/reports/sla", produces = "application/json")
    SlaReport.Report json(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return report.run(Period.parse(from, to, DEFAULT_DAYS, clock));
    }

    @GetMapping(path = "/api/v1/reports/sla", produces = "text/csv")
    ResponseEntity<String> csv(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        SlaReport.Report r = json(from, to);
        return csvFile("sla-" + r.from() + "-" + r.to() + ".csv", csv(r));
    }

    static String csv(SlaReport.Report r) {
        Csv csv = new Csv(
                "level",
                "id",
                "name",
                "handoffs",
                "met",
                "breached",
                "open",
                "compliance_percent",
                "median_hours_to_first_touch",
                "p90_hours_to_first_touch",
                "attempts_per_lead",
                "accepted",
                "rejected",
                "converted",
                "reassigned",
                "no_outcome");
        List<SlaReport.Line> lines = new ArrayList<>(r.reps());
        lines.addAll(r.teams());
        lines.add(r.total());
        for (SlaReport.Line l : lines) {
            csv.row(
                    l.level(),
                    l.id(),
                    l.name(),
                    l.handoffs(),
                    l.met(),
                    l.breached(),
                    l.open(),
                    l.compliancePercent(),
                    l.medianHoursToFirstTouch(),
                    l.p90HoursToFirstTouch(),
                    l.attemptsPerLead(),
                    l.accepted(),
                    l.rejected(),
                    l.converted(),
                    l.reassigned(),
                    l.noOutcome());
        }
        return csv.toString();
    }

    static ResponseEntity<String> csvFile(String name, String body) {
        return ResponseEntity.ok()
                .contentType(Csv.MEDIA_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                .body(body);
    }
}
