package dev.kindling.assignment;

import dev.kindling.prospects.ProspectSelection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The prospect list's bulk action "Change owner": the ticked prospects get the chosen owner, all or none, under the
 * rules of one reassignment ({@link Owners#force}: ADMIN, or the INSIDE_SALES manager of the new owner's team; the
 * security rule of {@code /prospects/{id}/owner} covers {@code /prospects/bulk/owner}); then back to the list.
 */
@Controller
class OwnerSelectionPages {

    private final Owners owners;

    OwnerSelectionPages(Owners owners) {
        this.owners = owners;
    }

    @PostMapping("/prospects/bulk/owner")
    String changeOwner(
            @RequestParam(name = "id", required = false) List<Long> ids,
            @RequestParam(required = false) Long userId,
            @RequestParam(required = false) String back,
            Authentication user) {
        List<Long> selected = ProspectSelection.of(ids);
        Map<String, Object> raw = new HashMap<>();
        raw.put("userId", userId);
        owners.forceAll(selected, raw, user);
        return "redirect:" + ProspectSelection.listUrl(back);
    }
}
