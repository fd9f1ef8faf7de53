package dev.kindling.prospects.web;

import dev.kindling.engine.lifecycle.LifecycleStage;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The prospect list. A plain GET form (search, stage, page) that works without JavaScript; with
 * htmx, typing in the search box asks for the same URL with {@code HX-Request} and gets only the
 * results table back.
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

    ProspectListController(ProspectDirectory directory) {
        this.directory = directory;
    }

    @GetMapping("/prospects")
    String list(
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String page,
            @RequestParam(required = false) String quadrant,
            @RequestHeader(name = "HX-Request", required = false) String htmx,
            @RequestHeader(name = "HX-History-Restore-Request", required = false) String historyRestore,
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
        model.addAttribute("result", directory.find(search, stageFilter, quadrantFilter, PageNumber.parse(page)));
        response.setHeader("Vary", "HX-Request");
        boolean fragment = "true".equals(htmx) && !"true".equals(historyRestore);
        return fragment ? "prospects/list :: results" : "prospects/list";
    }
}
