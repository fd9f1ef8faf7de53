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
 * {@code GET /api/v1/reports/kpis?from=&to=&period=&segment=&segmentValue=}: the KPI dashboard as JSON, or as CSV with
 * {@code Accept: text/csv} or {@code format=csv}. Any role reads it; bad input is a 400 listing every field error.
 */
@RestController
class KpiController {

    private final KpiReport report;
    private final ReportDatabase reports;

    KpiController(KpiReport report, ReportDatabase reports) {
        this.report = report;
        this.reports = reports;
    }

    @GetMapping(path = "/api/v1/reports/kpis", produces = MediaType.APPLICATION_JSON_VALUE)
    KpiDashboard json(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String period,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String segmentValue) {
        KpiQuery query = KpiQuery.parse(from, to, period, segment, segmentValue);
        return reports.read(() -> report.run(query)).value();
    }

    @GetMapping(path = "/api/v1/reports/kpis", produces = "text/csv")
    ResponseEntity<String> csv(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String period,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String segmentValue) {
        KpiQuery query = KpiQuery.parse(from, to, period, segment, segmentValue);
        return csvResponse(reports.read(() -> report.run(query)).value());
    }

    static ResponseEntity<String> csvResponse(KpiDashboard d) {
        String name = "kpis-" + d.from() + "-" + d.to() + ".csv";
        return ResponseEntity.ok()
                .contentType(Csv.MEDIA_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                .body(KpiCsv.of(d));
    }
}
