package dev.kindling.prospects.web;

import dev.kindling.prospects.CustomField;
import dev.kindling.prospects.ProspectView;
import dev.kindling.prospects.Prospects;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/** The prospect page: who they are, where they stand, and everything they did. */
@Controller
class ProspectPageController {

    /** A labelled value as the page lists it; {@code value} may be null (shown as a dash). */
    public record Field(String label, Object value) {}

    private final Prospects prospects;
    private final ProspectDossier dossier;

    ProspectPageController(Prospects prospects, ProspectDossier dossier) {
        this.prospects = prospects;
        this.dossier = dossier;
    }

    @GetMapping("/prospects/{id}")
    ModelAndView page(
            @PathVariable String id,
            @RequestParam(required = false) String page,
            org.springframework.security.core.Authentication who) {
        Optional<ProspectView> found = parseId(id).flatMap(prospects::find);
        if (found.isEmpty()) {
            // rendered here rather than thrown so the shell (navigation, user) still frames the page
            ModelAndView notFound = new ModelAndView("not-found", HttpStatus.NOT_FOUND);
            notFound.addObject("what", "prospect");
            return notFound;
        }
        ProspectView p = found.get();
        ModelAndView mav = new ModelAndView("prospects/page");
        mav.addObject("p", p);
        mav.addObject("fields", standardFields(p));
        mav.addObject("customFields", customFields(p.custom(), prospects.customFields()));
        mav.addObject("account", dossier.account(p.accountId()).orElse(null));
        mav.addObject("owner", dossier.owner(p.ownerId()).orElse(null));
        mav.addObject("stageHistory", dossier.stageHistory(p.id()));
        mav.addObject("timeline", dossier.timeline(p.id(), PageNumber.parse(page)));
        mav.addObject("visitors", dossier.visitors(p.id()));
        mav.addObject(
                "canMerge",
                dev.kindling.platform.security.Role.any(
                        who, dev.kindling.platform.security.Role.ADMIN, dev.kindling.platform.security.Role.MARKETING));
        return mav;
    }

    static List<Field> standardFields(ProspectView p) {
        return List.of(
                new Field("Email", p.email()),
                new Field("First name", p.firstName()),
                new Field("Last name", p.lastName()),
                new Field("Company", p.company()),
                new Field("Job title", p.jobTitle()),
                new Field("Department", p.department()),
                new Field("Industry", p.industry()),
                new Field("Employees", p.employees()),
                new Field("Country", p.country()),
                new Field("Phone", p.phone()),
                new Field("Website", p.website()),
                new Field("Source", p.source()));
    }

    /** Every defined custom field (by its label), then any stored value whose definition is gone. */
    static List<Field> customFields(Map<String, Object> values, Map<String, CustomField> defined) {
        List<Field> fields = new ArrayList<>();
        Map<String, Object> rest = new LinkedHashMap<>(values);
        for (CustomField field : defined.values()) {
            fields.add(new Field(field.label(), rest.remove(field.name())));
        }
        rest.forEach((name, value) -> fields.add(new Field(name, value)));
        return fields;
    }

    private static Optional<Long> parseId(String raw) {
        try {
            return Optional.of(Long.parseLong(raw));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
