package dev.kindling.reports;

import dev.kindling.platform.database.ReportDatabase;
import dev.kindling.platform.web.Csv;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/reports/closed-loop?from=&to=&minProspects=}: the closed-loop report as JSON, or its tables as
 * CSV ({@code Accept: text/csv} or {@code format=csv}).
 */
@RestController
class ClosedLoopController {

    private final ClosedLoopReport report;
    private final ReportDatabase reports;

    ClosedLoopController(ClosedLoopReport report, ReportDatabase reports) {
        this.report = report;
        this.reports = reports;
    }

    @GetMapping(path = "/api/v1/reports/closed-loop", produces = MediaType.APPLICATION_JSON_VALUE)
    ClosedLoopReport.Report json(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String minProspects) {
        ClosedLoopQuery q = ClosedLoopQuery.parse(from, to, minProspects);
        return reports.read(() -> report.run(q)).value();
    }

    @GetMapping(path = "/api/v1/reports/closed-loop", produces = "text/csv")
    ResponseEntity<String> csv(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String minProspects) {
        ClosedLoopQuery q = ClosedLoopQuery.parse(from, to, minProspects);
        return csvResponse(q, reports.read(() -> report.run(q)).value());
    }

    static ResponseEntity<String> csvResponse(ClosedLoopQuery q, ClosedLoopReport.Report r) {
        return ResponseEntity.ok()
                .contentType(Csv.MEDIA_TYPE)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"closed-loop-" + q.from() + "-" + q.to() + ".csv\"")
                .body(csv(r));
    }

    /** The tables, one section each: actions, fit values, score bands, grades. Labels are prospect data: Csv guards. */
    static String csv(ClosedLoopReport.Report r) {
        Csv csv = new Csv(
                "table",
                "label",
                "prospects",
                "won",
                "close_rate",
                "lift",
                "suggested_points",
                "current_points",
                "average_won_amount");
        for (ClosedLoopReport.ActionView a : r.actions()) {
            csv.row(
                    "action",
                    a.action().get("label"),
                    a.prospects(),
                    a.won(),
                    a.closeRate(),
                    a.lift(),
                    a.suggestedPoints(),
                    a.currentPoints(),
                    null);
        }
        for (ClosedLoopReport.FitView f : r.fit()) {
            csv.row(
                    "fit",
                    f.field() + "=" + f.value(),
                    f.prospects(),
                    f.won(),
                    f.closeRate(),
                    f.lift(),
                    null,
                    null,
                    null);
        }
        for (ClosedLoopReport.BandView b : r.byScoreBand()) {
            csv.row(
                    "score_band",
                    b.from() == 0 ? "< " + b.to() : b.to() == null ? "≥ " + b.from() : b.from() + "-" + (b.to() - 1),
                    b.prospects(),
                    b.won(),
                    b.winRate(),
                    null,
                    null,
                    null,
                    b.averageWonAmount());
        }
        for (ClosedLoopReport.GradeView g : r.byGrade()) {
            csv.row("grade", g.grade(), g.prospects(), g.won(), g.winRate(), null, null, null, g.averageWonAmount());
        }
        return csv.toString();
    }
}
