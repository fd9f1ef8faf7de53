package dev.kindling.lists;

import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ProspectSelection;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The prospect list's bulk action "Add to list": the ticked prospects join a static list (ADMIN and MARKETING, the
 * default rule for form posts), then the list page shows them.
 */
@Controller
class ListSelectionPages {

    private final Lists lists;

    ListSelectionPages(Lists lists) {
        this.lists = lists;
    }

    @PostMapping("/prospects/bulk/list")
    String add(
            @RequestParam(name = "id", required = false) List<Long> ids, @RequestParam(required = false) Long listId) {
        List<Long> selected = ProspectSelection.of(ids);
        if (listId == null) {
            throw InvalidInputException.of("listId", "choose a static list");
        }
        lists.add(listId, selected, "manual");
        return "redirect:/lists/" + listId;
    }
}
