package dev.kindling.prospects.web;

import dev.kindling.platform.security.Role;
import dev.kindling.prospects.ProspectField;
import dev.kindling.prospects.ProspectMerges;
import dev.kindling.prospects.ProspectView;
import dev.kindling.prospects.Prospects;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "Merge with…" on the prospect page (ADMIN and MARKETING): find the other prospect by email (or name), compare the
 * two side by side with each field defaulting to its most recent non-blank value, confirm. The page's prospect
 * survives; "swap" makes the other one the survivor.
 */
@Controller
class ProspectMergePages {

    static final int RESULTS = 10;

    private final Prospects prospects;
    private final ProspectMerges merges;

    ProspectMergePages(Prospects prospects, ProspectMerges merges) {
        this.prospects = prospects;
        this.merges = merges;
    }

    @GetMapping("/prospects/{id}/merge")
    ModelAndView page(
            @PathVariable String id,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String with,
            Authentication who) {
        allowed(who);
        ProspectView survivor = find(id).orElse(null);
        if (survivor == null) {
            return notFound();
        }
        ModelAndView mav = new ModelAndView("prospects/merge");
        mav.addObject("p", survivor);
        String query = q == null ? "" : q.strip();
        mav.addObject("q", query);
        if (!query.isEmpty() && query.length() <= 200) {
            mav.addObject(
                    "results",
                    prospects.list(new Prospects.Filter(null, null, query), RESULTS + 1, null).items().stream()
                            .filter(o -> o.id() != survivor.id())
                            .limit(RESULTS)
                            .toList());
        }
        if (with != null) {
            ProspectView loser = find(with).filter(o -> o.id() != survivor.id()).orElse(null);
            if (loser == null) {
                return notFound();
            }
            mav.addObject("other", loser);
            mav.addObject("choices", merges.choices(survivor, loser));
        }
        return mav;
    }

    @PostMapping("/prospects/{id}/merge")
    ModelAndView merge(
            @PathVariable String id,
            @RequestParam Map<String, String> form,
            Authentication who,
            RedirectAttributes flash) {
        allowed(who);
        ProspectView survivor = find(id).orElse(null);
        ProspectView loser = find(form.get("loserId")).orElse(null);
        if (survivor == null || loser == null || loser.id() == survivor.id()) {
            return notFound();
        }
        if (!"yes".equals(form.get("confirm"))) {
            // the confirmation box is required by the form; a post without it merges nothing
            return new ModelAndView("redirect:/prospects/" + survivor.id() + "/merge?with=" + loser.id());
        }
        Map<ProspectField, ProspectMerges.Side> sides = new EnumMap<>(ProspectField.class);
        for (Map.Entry<String, String> e : form.entrySet()) {
            if (e.getKey().startsWith("field.")) {
                ProspectField f = ProspectField.byJson(e.getKey().substring("field.".length()));
                ProspectMerges.Side side = ProspectMerges.Side.parse(e.getValue());
                if (f == null || side == null) {
                    ModelAndView bad = new ModelAndView("not-found", HttpStatus.BAD_REQUEST);
                    bad.addObject("what", "merge choice");
                    return bad;
                }
                sides.put(f, side);
            }
        }
        merges.merge(survivor.id(), loser.id(), sides, who.getName());
        flash.addFlashAttribute(
                "notice", "Merged " + loser.email() + " (prospect " + loser.id() + ") into this prospect.");
        return new ModelAndView("redirect:/prospects/" + survivor.id());
    }

    private Optional<ProspectView> find(String raw) {
        if (raw == null || raw.isBlank() || raw.strip().length() > 18) {
            return Optional.empty();
        }
        try {
            return prospects.find(Long.parseLong(raw.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static ModelAndView notFound() {
        ModelAndView notFound = new ModelAndView("not-found", HttpStatus.NOT_FOUND);
        notFound.addObject("what", "prospect");
        return notFound;
    }

    private static void allowed(Authentication who) {
        if (!Role.any(who, Role.ADMIN, Role.MARKETING)) {
            throw new AccessDeniedException("Only ADMIN and MARKETING merge prospects");
        }
    }
}
