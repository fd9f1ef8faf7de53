package dev.kindling.sales;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One table of the weekly review as CSV for API keys: {@code GET /api/v1/reports/weekly?table=…&from=&to=} with
 * {@code Accept: text/csv} (or {@code format=csv}) — the same files as the page's {@code /reports/weekly/{table}.csv}
 * links, which belong to the UI's door (sessions).
 */
@RestController
class WeeklyReviewCsv {

    private final WeeklyReviewPage page;

    WeeklyReviewCsv(WeeklyReviewPage page) {
        this.page = page;
    }

    @GetMapping(path = "/api/v1/reports/weekly", produces = "text/csv")
    ResponseEntity<String> csv(
            @RequestParam(defaultValue = "") String table,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        return page.csv(table, from, to);
    }
}
