package dev.kindling.lifecycle;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.grading.Grade;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The lifecycle settings page at {@code /lifecycle}: the transition table (read-only) and the editable policy, a
 * plain HTML form with its CSRF token, validated like the API. Saving reports what was re-evaluated.
 */
@Controller
class LifecyclePageController {

    private final LifecycleSettings settings;
    private final LifecycleChanges changes;

    LifecyclePageController(LifecycleSettings settings, LifecycleChanges changes) {
        this.settings = settings;
        this.changes = changes;
    }

    @GetMapping("/lifecycle")
    String page(Model model) {
        return render(model, LifecycleSettings.document(settings.policy()), List.of(), null);
    }

    @PostMapping("/lifecycle")
    String save(@RequestParam MultiValueMap<String, String> params, Model model, HttpServletResponse response) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("mqlScore", number(params.getFirst("mqlScore")));
        raw.put("mqlGrade", params.getFirst("mqlGrade"));
        raw.put("mqlKeyActionTypes", params.getOrDefault("mqlKeyActionTypes", List.of()));
        raw.put(
                "mqlKeyActionDays",
                params.containsKey("mqlKeyActionDays") ? numberOrZero(params.getFirst("mqlKeyActionDays")) : 0L);
        raw.put("engagingActivityTypes", params.getOrDefault("engagingActivityTypes", List.of()));
        raw.put("handRaiseActivityTypes", params.getOrDefault("handRaiseActivityTypes", List.of()));
        raw.put("handRaiseFormNames", lines(params.getFirst("handRaiseFormNames")));
        raw.put("inactivityDays", number(params.getFirst("inactivityDays")));
        raw.put("disqualifyFreeMail", params.containsKey("disqualifyFreeMail"));
        raw.put("competitorDomains", lines(params.getFirst("competitorDomains")));
        Map<String, Object> recycle = new LinkedHashMap<>();
        recycle.put("mode", params.getFirst("recycleMode") == null ? "RESET" : params.getFirst("recycleMode"));
        if (!"RESET".equals(recycle.get("mode"))) {
            recycle.put("points", number(params.getFirst("recyclePoints")));
        }
        raw.put("recycle", recycle);
        try {
            LifecycleChanges.Reevaluation done = changes.replace(LifecycleSettings.validate(raw));
            return render(model, LifecycleSettings.document(settings.policy()), List.of(), done);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return render(model, raw, e.errors(), null);
        }
    }

    private String render(
            Model model, Map<String, Object> form, List<FieldError> errors, LifecycleChanges.Reevaluation done) {
        model.addAttribute("form", form);
        model.addAttribute("formNamesText", String.join("\n", strings(form.get("handRaiseFormNames"))));
        model.addAttribute("competitorsText", String.join("\n", strings(form.get("competitorDomains"))));
        model.addAttribute("recycleForm", form.get("recycle") instanceof Map<?, ?> r ? r : Map.of());
        model.addAttribute("errors", errors);
        model.addAttribute("done", done);
        model.addAttribute("transitions", LifecycleController.transitions());
        model.addAttribute("types", List.of(ActivityType.values()));
        model.addAttribute(
                "grades", Arrays.stream(Grade.values()).map(Grade::display).toList());
        return "lifecycle/settings";
    }

    private static Object number(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return text;
        }
    }

    /** An empty days field means the condition's days are not set (0), which is valid while no type is ticked. */
    private static Object numberOrZero(String text) {
        return text == null || text.isBlank() ? Long.valueOf(0) : number(text);
    }

    private static List<String> lines(String text) {
        return text == null
                ? List.of()
                : text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of();
    }
}
