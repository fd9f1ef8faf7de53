package dev.kindling.reports;

import dev.kindling.platform.database.ReportDatabase;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/reports/lifecycle}: the Prospect Lifecycle Report as JSON, or as CSV with
 * {@code Accept: text/csv}. Parameters: {@code from}, {@code to} (dates, required), {@code view}, {@code model},
 * {@code segment}, {@code segmentValue}; see {@link LifecycleQuery}.
 */
@RestController
class LifecycleReportController {

    static final MediaType CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);

    private final LifecycleReport report;
    private final ReportDatabase reports;

    LifecycleReportController(LifecycleReport report, ReportDatabase reports) {
        this.report = report;
        this.reports = reports;
    }

    @GetMapping(path = "/api/v1/reports/lifecycle", produces = MediaType.APPLICATION_JSON_VALUE)
    LifecycleFunnel json(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String view,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String segmentValue) {
        LifecycleQuery query = LifecycleQuery.parse(from, to, view, model, segment, segmentValue);
        return reports.read(() -> report.run(query)).value();
    }

    @GetMapping(path = "/api/v1/reports/lifecycle", produces = "text/csv")
    ResponseEntity<String> csv(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String view,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String segmentValue) {
        LifecycleQuery query = LifecycleQuery.parse(from, to, view, model, segment, segmentValue);
        return csvResponse(reports.read(() -> report.run(query)).value());
    }

    static ResponseEntity<String> csvResponse(LifecycleFunnel funnel) {
        String name = "lifecycle-" + funnel.view() + "-" + funnel.from() + "-" + funnel.to() + ".csv";
        return ResponseEntity.ok()
                .contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                .body(LifecycleCsv.of(funnel));
    }
}
