package dev.kindling.audit;

import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The Audit log settings page ({@code /settings/audit}, ADMIN): the entries newest first with the same filters and
 * cursor paging as the API, and a CSV download of what is filtered.
 */
@Controller
class AuditPages {

    static final int PAGE_SIZE = 50;

    private final AuditSearch search;

    AuditPages(AuditSearch search) {
        this.search = search;
    }

    @GetMapping("/settings/audit")
    String index(
            HttpServletRequest request,
            @RequestParam(required = false) String cursor,
            Model model,
            HttpServletResponse response) {
        Map<String, String> params = new HashMap<>();
        AuditSearch.Filter.PARAMETERS.forEach(name -> params.put(name, request.getParameter(name)));
        model.addAttribute("params", params);
        List<FieldError> errors = List.of();
        AuditSearch.Page page = new AuditSearch.Page(List.of(), null);
        try {
            page = search.page(AuditSearch.Filter.parse(params::get), PAGE_SIZE, cursor);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            errors = e.errors();
        }
        model.addAttribute("errors", errors);
        model.addAttribute("entries", page.items());
        model.addAttribute("nextCursor", page.nextCursor());
        return "audit/index";
    }

    @GetMapping("/settings/audit/export.csv")
    ResponseEntity<String> csv(HttpServletRequest request) {
        AuditSearch.Filter filter;
        try {
            filter = AuditSearch.Filter.parse(request::getParameter);
        } catch (InvalidInputException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The filters are not valid");
        }
        return AuditController.csvFile(search.csv(filter));
    }
}
