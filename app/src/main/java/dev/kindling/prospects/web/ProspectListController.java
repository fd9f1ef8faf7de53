package dev.kindling.prospects.web;

import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.platform.security.Accounts;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.Csv;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.FieldMessages;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ProspectSelection;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The prospect list. A plain GET form (search, stage, sort, page) that works without JavaScript and keeps every
 * filter in the URL; with htmx, typing in the search box asks for the same URL with {@code HX-Request} and gets only
 * the results table back. Rows can be selected for bulk actions: add to a static list (the lists module), change
 * owner (the assignment module) and export the selection as CSV (here). Each user may save the current view (its
 * query string) under a name ({@link SavedViews}) and apply or delete it from the links above the list.
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
    private final SavedViews views;
    private final Accounts accounts;

    ProspectListController(ProspectDirectory directory, JdbcClient jdbc, SavedViews views, Accounts accounts) {
        this.directory = directory;
        this.jdbc = jdbc;
        this.views = views;
        this.accounts = accounts;
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
            Authentication who,
            Model model) {
        String listQuery = request.getQueryString() == null ? "" : request.getQueryString();
        render(who, q, stage, page, quadrant, sort, dir, listQuery, "", List.of(), model);
        response.setHeader("Vary", "HX-Request");
        boolean fragment = "true".equals(htmx) && !"true".equals(historyRestore);
        return fragment ? "prospects/list :: results" : "prospects/list";
    }

    /**
     * Saves the list's current filters and sort (its query string, only the known parameters kept) under a name for
     * the signed-in user, then shows the view; a refused name shows the list again with the error next to the field.
     */
    @PostMapping("/prospects/views")
    String saveView(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String query,
            Authentication who,
            HttpServletResponse response,
            Model model) {
        String kept = SavedViews.known(query);
        try {
            views.save(accounts.signedIn(who).id(), name, kept);
            return "redirect:/prospects" + (kept.isEmpty() ? "" : "?" + kept);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return viewRefused(who, kept, name, e.errors(), model);
        } catch (ConflictException e) {
            response.setStatus(409);
            return viewRefused(who, kept, name, List.of(new FieldError("name", e.getMessage())), model);
        }
    }

    /** Deletes one of the signed-in user's saved views (404 for anyone else's). */
    @PostMapping("/prospects/views/{id}/delete")
    String deleteView(@PathVariable long id, Authentication who) {
        views.delete(accounts.signedIn(who).id(), id);
        return "redirect:/prospects";
    }

    private String viewRefused(Authentication who, String kept, String name, List<FieldError> errors, Model model) {
        Map<String, String> p = SavedViews.parameters(kept);
        render(
                who,
                p.get("q"),
                p.get("stage"),
                null,
                p.get("quadrant"),
                p.get("sort"),
                p.get("dir"),
                kept,
                name,
                errors,
                model);
        return "prospects/list";
    }

    private void render(
            Authentication who,
            String q,
            String stage,
            String page,
            String quadrant,
            String sort,
            String dir,
            String listQuery,
            String viewName,
            List<FieldError> errors,
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
        model.addAttribute("listQuery", listQuery);
        model.addAttribute("savedViews", views.of(accounts.signedIn(who).id()));
        model.addAttribute("viewName", viewName);
        model.addAttribute("errors", FieldMessages.of(errors));
    }
}
