package dev.kindling.automation;

import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The automation pages: {@code /automation} (rules with status and match counts), a rule's page (definition, preview,
 * resume / pause, match history) and the rule form (name, condition through the condition builder, actions as rows of
 * kind + parameters, repeat). The same services as the API; writes for ADMIN and MARKETING.
 */
@Controller
class AutomationPages {

    private final AutomationRules rules;
    private final RuleRuns runs;
    private final JsonMapper json;
    private final dev.kindling.prospects.Prospects prospects;
    private final dev.kindling.conditions.ConditionDescriber conditions;

    AutomationPages(
            AutomationRules rules,
            RuleRuns runs,
            JsonMapper json,
            dev.kindling.prospects.Prospects prospects,
            dev.kindling.conditions.ConditionDescriber conditions) {
        this.prospects = prospects;
        this.conditions = conditions;
        this.rules = rules;
        this.runs = runs;
        this.json = json;
    }

    @GetMapping("/automation")
    String index(Model model, Authentication user) {
        model.addAttribute("rules", rules.list());
        model.addAttribute("mayWrite", mayWrite(user));
        return "automation/index";
    }

    @GetMapping("/automation/new")
    String create(Model model) {
        return form(model, null, "", "", ActionEditor.withBlanks(List.of()), false, "", "", List.of());
    }

    @PostMapping("/automation")
    String save(@RequestParam MultiValueMap<String, String> params, Model model, HttpServletResponse response) {
        return saveOrUpdate(null, params, model, response);
    }

    @GetMapping("/automation/{id}/edit")
    String edit(@PathVariable long id, Model model) {
        AutomationRules.RuleView r = rules.view(id);
        List<ActionEditor.Row> rows = ActionEditor.rows(r.actions());
        Map<String, Object> repeat = r.repeat();
        return form(
                model,
                id,
                r.name(),
                json.writeValueAsString(r.condition()),
                ActionEditor.withBlanks(rows),
                repeat != null,
                repeat == null ? "" : String.valueOf(repeat.get("daysBeforeEligible")),
                repeat == null || repeat.get("maxMatches") == null ? "" : String.valueOf(repeat.get("maxMatches")),
                List.of());
    }

    @PostMapping("/automation/{id}")
    String update(
            @PathVariable long id,
            @RequestParam MultiValueMap<String, String> params,
            Model model,
            HttpServletResponse response) {
        rules.get(id);
        return saveOrUpdate(id, params, model, response);
    }

    private String saveOrUpdate(
            Long id, MultiValueMap<String, String> params, Model model, HttpServletResponse response) {
        String name = params.getFirst("name") == null ? "" : params.getFirst("name");
        String condition = params.getFirst("condition") == null ? "" : params.getFirst("condition");
        List<ActionEditor.Row> rows = ActionEditor.posted(params);
        boolean repeats = params.containsKey("repeat");
        String days = params.getFirst("daysBeforeEligible") == null ? "" : params.getFirst("daysBeforeEligible");
        String max = params.getFirst("maxMatches") == null ? "" : params.getFirst("maxMatches");
        try {
            JsonNode body = body(name, condition, rows, repeats, days, max);
            AutomationRules.RuleView saved = id == null ? rules.create(body) : rules.update(id, body);
            return "redirect:/automation/" + saved.id();
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return form(model, id, name, condition, ActionEditor.withBlanks(rows), repeats, days, max, e.errors());
        }
    }

    private JsonNode body(
            String name, String condition, List<ActionEditor.Row> rows, boolean repeats, String days, String max) {
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        if (condition.isBlank()) {
            body.putNull("condition");
        } else {
            try {
                body.set("condition", json.readTree(condition));
            } catch (JacksonException e) {
                throw InvalidInputException.of("condition", "is not valid JSON");
            }
        }
        body.set("actions", ActionEditor.json(json, rows));
        if (repeats) {
            ObjectNode r = body.putObject("repeat");
            ActionEditor.putNumber(r, "daysBeforeEligible", days.strip());
            if (!max.isBlank()) {
                ActionEditor.putNumber(r, "maxMatches", max.strip());
            }
        }
        return body;
    }

    private String form(
            Model model,
            Long id,
            String name,
            String condition,
            List<ActionEditor.Row> rows,
            boolean repeats,
            String days,
            String max,
            List<FieldError> errors) {
        model.addAttribute("id", id);
        model.addAttribute("name", name);
        model.addAttribute("condition", condition);
        model.addAttribute("rows", rows);
        model.addAttribute("repeats", repeats);
        model.addAttribute("days", days);
        model.addAttribute("max", max);
        model.addAttribute("errors", errors);
        model.addAttribute("kinds", ActionEditor.KINDS);
        return "automation/form";
    }

    @GetMapping("/automation/{id}")
    String page(@PathVariable long id, Model model, Authentication user, HttpServletResponse response) {
        if (rules.find(id).isEmpty()) {
            response.setStatus(404);
            return "not-found";
        }
        return page(model, id, user, null, null, List.of());
    }

    @PostMapping("/automation/{id}/preview")
    String preview(@PathVariable long id, Model model, Authentication user) {
        return page(model, id, user, runs.preview(id), null, List.of());
    }

    @PostMapping("/automation/{id}/resume")
    String resume(@PathVariable long id, Model model, Authentication user, HttpServletResponse response) {
        try {
            return page(model, id, user, null, runs.resume(id), List.of());
        } catch (InvalidInputException e) {
            response.setStatus(e.status().value());
            return page(model, id, user, null, null, e.errors());
        }
    }

    @PostMapping("/automation/{id}/pause")
    String pause(@PathVariable long id) {
        runs.pause(id);
        return "redirect:/automation/" + id;
    }

    @PostMapping("/automation/{id}/delete")
    String delete(@PathVariable long id) {
        rules.delete(id);
        return "redirect:/automation";
    }

    /** The rule's condition in words; null when it no longer reads (a custom field it names was removed). */
    private String words(AutomationRules.RuleView rule) {
        try {
            return conditions.describe(dev.kindling.conditions.ConditionJson.parse(
                    rule.condition(), prospects.customFields(), "condition."));
        } catch (dev.kindling.platform.web.InvalidInputException unreadable) {
            return null;
        }
    }

    private String page(
            Model model,
            long id,
            Authentication user,
            RuleRuns.Preview preview,
            RuleRuns.Resumed resumed,
            List<FieldError> errors) {
        AutomationRules.RuleView rule = rules.view(id);
        model.addAttribute("rule", rule);
        model.addAttribute(
                "conditionText", json.writerWithDefaultPrettyPrinter().writeValueAsString(rule.condition()));
        model.addAttribute("conditionWords", words(rule));
        model.addAttribute("actionsText", ActionJson.summary(rules.get(id).actions()));
        model.addAttribute("preview", preview);
        model.addAttribute("resumed", resumed);
        model.addAttribute("errors", errors);
        model.addAttribute("matches", runs.matches(id, null, 50).items());
        model.addAttribute("mayWrite", mayWrite(user));
        return "automation/page";
    }

    static boolean mayWrite(Authentication user) {
        return Role.any(user, Role.ADMIN, Role.MARKETING);
    }
}
