package dev.kindling.prospects.web;

import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.platform.web.Csv;
import dev.kindling.prospects.ProspectSelection;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The prospect list. A plain GET form (search, stage, sort, page) that works without JavaScript and keeps every
 * filter in the URL; with htmx, typing in the search box asks for the same URL with {@code HX-Request} and gets only
 * the results table back. Rows can be selected for bulk actions: add to a static list (the lists module), change
 * owner (the assignment module) and export the selection as CSV (here).
 */
@Controller
class ProspectListController {

    static final int MAX_SEARCH_LENGTH = 200;
    static final List<String> STAGES = Arrays.stream(LifecycleStage.values())
            .filter(s -> s != LifecycleStage.ANONYMOUS)
            .map(Enum::name)
            .toList();

    static final List<String> QUADRANTS = List.of("HOT", "NURTURE", "SCREEN", "DISCARD");

    private final ProspectDirectory directory;
    private final JdbcClient jdbc;

    ProspectListController(ProspectDirectory directory, JdbcClient jdbc) {
        this.directory = directory;
        this.jdbc = jdbc;
    }

    /** A choice in the bulk actions' pick lists. */
    record Choice(long id, String name) {}

    /** The static lists the selection may be added to (read for the pick list; the lists module adds). */
    private List<Choice> staticLists() {
        return jdbc.sql("SELECT id, name FROM list WHERE kind = 'STATIC' ORDER BY lower(name)")
                .query((rs, n) -> new Choice(rs.getLong(1), rs.getString(2)))
                .list();
    }

    /** The running programs, for "Add to program" (read for the pick list; the programs module enrolls). */
    private List<Choice> runningPrograms() {
        return jdbc.sql("SELECT id, name FROM program WHERE status = 'RUNNING' ORDER BY lower(name)")
                .query((rs, n) -> new Choice(rs.getLong(1), rs.getString(2)))
                .list();
    }

    /** The users a prospect may be assigned to (read for the pick list; the assignment module reassigns). */
    private List<Choice> owners() {
        return jdbc.sql("""
                        SELECT id, coalesce(nullif(name, ''), email) FROM app_user
                         WHERE active AND role IN ('INSIDE_SALES', 'SALES') ORDER BY lower(coalesce(nullif(name, ''), email))""")
                .query((rs, n) -> new Choice(rs.getLong(1), rs.getString(2)))
                .list();
    }

    /** The selected prospects as CSV (times in UTC, like every export). */
    @PostMapping(path = "/prospects/export.csv")
    ResponseEntity<String> export(@RequestParam(name = "id", required = false) List<Long> ids) {
        List<Long> selected = ProspectSelection.of(ids);
        Csv csv = new Csv(
                "id", "email", "first_name", "last_name", "company", "stage", "score", "grade", "last_activity_at");
        for (ProspectDirectory.Row r : directory.rows(selected)) {
            csv.row(
                    r.id(),
                    r.email(),
                    r.firstName(),
                    r.lastName(),
                    r.company(),
                    r.stage(),
                    r.score(),
                    r.grade(),
                    r.lastActivityAt());
        }
        return ResponseEntity.ok()
                .contentType(Csv.MEDIA_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"prospects-selection.csv\"")
                .body(csv.toString());
    }

    @GetMapping("/prospects")
    String list(
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String page,
            @RequestParam(required = false) String quadrant,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) String dir,
            @RequestHeader(name = "HX-Request", required = false) String htmx,
            @RequestHeader(name = "HX-History-Restore-Request", required = false) String historyRestore,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        String search = q == null ? "" : q.strip();
        if (search.length() > MAX_SEARCH_LENGTH) {
            search = search.substring(0, MAX_SEARCH_LENGTH);
        }
        String stageFilter = stage != null && STAGES.contains(stage) ? stage : null;
        model.addAttribute("q", search);
        model.addAttribute("stage", stageFilter == null ? "" : stageFilter);
        model.addAttribute("stages", STAGES);
        String quadrantFilter = quadrant != null && QUADRANTS.contains(quadrant) ? quadrant : null;
        model.addAttribute("quadrant", quadrantFilter == null ? "" : quadrantFilter);
        ProspectDirectory.Sort order = ProspectDirectory.Sort.parse(sort, dir);
        model.addAttribute("sort", order);
        model.addAttribute("sortColumn", order.column());
        model.addAttribute("sortDir", order == ProspectDirectory.Sort.NEWEST ? "" : order.ascending() ? "asc" : "desc");
        model.addAttribute(
                "result", directory.find(search, stageFilter, quadrantFilter, order, PageNumber.parse(page)));
        model.addAttribute("lists", staticLists());
        model.addAttribute("owners", owners());
        model.addAttribute("runningPrograms", runningPrograms());
        model.addAttribute("listQuery", request.getQueryString() == null ? "" : request.getQueryString());
        response.setHeader("Vary", "HX-Request");
        boolean fragment = "true".equals(htmx) && !"true".equals(historyRestore);
        return fragment ? "prospects/list :: results" : "prospects/list";
    }
}
