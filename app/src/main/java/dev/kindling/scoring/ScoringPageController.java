package dev.kindling.scoring;

import dev.kindling.campaigns.Campaigns;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.scoring.DecayPolicy;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The scoring model editor at {@code /scoring}: the rules (add, edit, delete), the decay settings and rescoring
 * (preview, then apply). Plain HTML forms with CSRF tokens; the same validation as the API, errors shown next to
 * the form; changes for ADMIN and MARKETING only, as on the API.
 */
@Controller
class ScoringPageController {

    private static final Set<String> NUMBERS = Set.of(
            "points",
            "maxPointsPerDay",
            "campaignId",
            "occurrence",
            "withinDays",
            "inactivityDays",
            "subtractPoints",
            "halfLifeDays",
            "floor");

    private final ScoringRules rules;
    private final ScoringSettings settings;
    private final Campaigns campaigns;
    private final Rescoring rescoring;

    ScoringPageController(ScoringRules rules, ScoringSettings settings, Campaigns campaigns, Rescoring rescoring) {
        this.rules = rules;
        this.settings = settings;
        this.campaigns = campaigns;
        this.rescoring = rescoring;
    }

    @GetMapping("/scoring")
    String page(@RequestParam(required = false) Long edit, Model model) {
        Map<String, Object> form = edit == null ? new LinkedHashMap<>() : RuleValues.of(rules.get(edit));
        return render(model, edit, form, List.of(), List.of());
    }

    @PostMapping({"/scoring/rules", "/scoring/rules/{id}"})
    String saveRule(
            @PathVariable(required = false) Long id,
            @RequestParam Map<String, String> params,
            Model model,
            HttpServletResponse response) {
        Map<String, Object> raw = typed(params, RuleValues.FIELDS);
        raw.putIfAbsent("firstTimeOnly", false);
        try {
            RuleValues values = RuleValues.validate(raw, campaigns::exists);
            if (id == null) {
                rules.create(values);
            } else {
                rules.update(id, values);
            }
            return "redirect:/scoring";
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return render(model, id, raw, e.errors(), List.of());
        }
    }

    @PostMapping("/scoring/rules/{id}/delete")
    String deleteRule(@PathVariable long id) {
        rules.delete(id);
        return "redirect:/scoring";
    }

    @PostMapping("/scoring/settings")
    String saveSettings(@RequestParam Map<String, String> params, Model model, HttpServletResponse response) {
        Map<String, Object> raw = typed(params, ScoringSettings.FIELDS);
        for (String field : ScoringSettings.FIELDS) {
            raw.putIfAbsent(field, null);
        }
        try {
            settings.put(ScoringSettings.validate(raw));
            return "redirect:/scoring";
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return render(model, null, new LinkedHashMap<>(), List.of(), e.errors());
        }
    }

    /** What a rescore would change, shown above the model with an Apply button. Writes nothing. */
    @PostMapping("/scoring/rescore/preview")
    String previewRescore(Model model) {
        model.addAttribute("preview", rescoring.preview());
        return render(model, null, new LinkedHashMap<>(), List.of(), List.of());
    }

    @PostMapping("/scoring/rescore")
    String applyRescore(RedirectAttributes flash) {
        flash.addFlashAttribute("rescored", rescoring.apply());
        return "redirect:/scoring";
    }

    private String render(
            Model model,
            Long edit,
            Map<String, Object> form,
            List<FieldError> ruleErrors,
            List<FieldError> settingsErrors) {
        model.addAttribute("rules", rules.list());
        model.addAttribute("settings", settings.get());
        model.addAttribute("types", List.of(ActivityType.values()));
        model.addAttribute("actions", List.of(DecayPolicy.InactivityAction.values()));
        model.addAttribute("edit", edit);
        model.addAttribute("form", form);
        model.addAttribute("ruleErrors", ruleErrors);
        model.addAttribute("settingsErrors", settingsErrors);
        model.addAttribute(
                "mayChange",
                ScorePanel.mayChange(SecurityContextHolder.getContext().getAuthentication()));
        return "scoring/model";
    }

    /** Form fields as the JSON validators expect them: numbers as Long when they parse, blanks left out. */
    private static Map<String, Object> typed(Map<String, String> params, Set<String> fields) {
        Map<String, Object> raw = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!fields.contains(k) || v == null || v.isBlank()) {
                return;
            }
            if (k.equals("firstTimeOnly")) {
                raw.put(k, true);
            } else if (NUMBERS.contains(k)) {
                try {
                    raw.put(k, Long.parseLong(v.strip()));
                } catch (NumberFormatException e) {
                    raw.put(k, v);
                }
            } else {
                raw.put(k, v);
            }
        });
        return raw;
    }
}
