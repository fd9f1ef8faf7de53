package dev.kindling.audit;

import dev.kindling.platform.web.Csv;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/audit} (admins only): the audit log newest first, {@code limit} (1–500, default 50) and
 * {@code cursor} paging, filters {@code actor, apiKeyId, objectType, objectId, action, from, to}; the same as CSV
 * with {@code Accept: text/csv} or at {@code /api/v1/audit/export.csv}.
 */
@RestController
class AuditController {

    private final AuditSearch search;

    AuditController(AuditSearch search) {
        this.search = search;
    }

    @GetMapping(path = "/api/v1/audit", produces = "application/json")
    AuditSearch.Page list(
            HttpServletRequest request,
            @RequestParam(defaultValue = "50") String limit,
            @RequestParam(required = false) String cursor) {
        return search.page(AuditSearch.Filter.parse(request::getParameter), limitOf(limit), cursor);
    }

    @GetMapping(
            path = {"/api/v1/audit", "/api/v1/audit/export.csv"},
            produces = "text/csv")
    ResponseEntity<String> csv(HttpServletRequest request) {
        return csvFile(search.csv(AuditSearch.Filter.parse(request::getParameter)));
    }

    static ResponseEntity<String> csvFile(String body) {
        return ResponseEntity.ok()
                .contentType(Csv.MEDIA_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-log.csv\"")
                .body(body);
    }

    static int limitOf(String raw) {
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw dev.kindling.platform.web.InvalidInputException.of(
                    "limit", "must be between 1 and " + AuditSearch.MAX_LIMIT);
        }
    }
}
