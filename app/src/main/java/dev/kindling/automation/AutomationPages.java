package dev.kindling.automation;

import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.security.Role;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The automation pages: {@code /automation} (rules with status and match counts), a rule's page (definition, preview,
 * resume / pause, match history) and the rule form (name, condition through the condition builder, actions as rows of
 * kind + parameters, repeat). The same services as the API; writes for ADMIN and MARKETING.
 */
@Controller
class AutomationPages {

    static final int BLANK_ROWS = 2;
    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,12}");

    private final AutomationRules rules;
    private final RuleRuns runs;
    private final JsonMapper json;

    AutomationPages(AutomationRules rules, RuleRuns runs, JsonMapper json) {
        this.rules = rules;
        this.runs = runs;
        this.json = json;
    }

    /**
     * One action row of the form: its kind, a field (setField; notifyUser: "owner" or a user id), one value
     * (notifyUser: the subject) and a message (notifyUser only).
     */
    record ActionRow(String type, String field, String value, String message) {

        ActionRow(String type, String field, String value) {
            this(type, field, value, "");
        }
    }

    @GetMapping("/automation")
    String index(Model model, Authentication user) {
        model.addAttribute("rules", rules.list());
        model.addAttribute("mayWrite", mayWrite(user));
        return "automation/index";
    }

    @GetMapping("/automation/new")
    String create(Model model) {
        return form(model, null, "", "", rows(List.of()), false, "", "", List.of());
    }

    @PostMapping("/automation")
    String save(@RequestParam MultiValueMap<String, String> params, Model model, HttpServletResponse response) {
        return saveOrUpdate(null, params, model, response);
    }

    @GetMapping("/automation/{id}/edit")
    String edit(@PathVariable long id, Model model) {
        AutomationRules.RuleView r = rules.view(id);
        List<ActionRow> rows = new ArrayList<>();
        for (Map<String, Object> a : r.actions()) {
            String type = (String) a.get("type");
            Object value = switch (type) {
                case "adjustScore" -> a.get("points");
                case "setScore" -> a.get("score");
                case "addToList", "removeFromList" -> a.get("listId");
                case "addToProgram", "removeFromProgram" -> a.get("programId");
                case "createTask" -> a.get("subject");
                case "changeStage" -> a.get("stage");
                case "callWebhook" -> a.get("url");
                case "notifyUser" -> a.get("subject");
                case "assign" -> a.get("teamId") != null ? a.get("teamId") : a.get("userId");
                default -> a.get("value");
            };
            String field = type.equals("notifyUser") ? String.valueOf(a.get("userId"))
                    : type.equals("createTask") ? a.get("dueInHours") + "h " + a.get("userId") : (String) a.get("field");
            if (type.equals("assign")) {
                // the form's two assign kinds: round-robin in a team or one user; the field column says "forced"
                field = Boolean.TRUE.equals(a.get("forced")) ? "forced" : "";
                type = a.get("teamId") != null ? "assign:team" : "assign:user";
            }
            rows.add(new ActionRow(type, field, value == null ? "" : String.valueOf(value),
                    a.get("message") == null ? "" : String.valueOf(a.get("message"))));
        }
        Map<String, Object> repeat = r.repeat();
        return form(model, id, r.name(), json.writeValueAsString(r.condition()), rows(rows), repeat != null,
                repeat == null ? "" : String.valueOf(repeat.get("daysBeforeEligible")),
                repeat == null || repeat.get("maxMatches") == null ? "" : String.valueOf(repeat.get("maxMatches")),
                List.of());
    }

    @PostMapping("/automation/{id}")
    String update(@PathVariable long id, @RequestParam MultiValueMap<String, String> params, Model model,
            HttpServletResponse response) {
        rules.get(id);
        return saveOrUpdate(id, params, model, response);
    }

    private String saveOrUpdate(Long id, MultiValueMap<String, String> params, Model model,
            HttpServletResponse response) {
        String name = params.getFirst("name") == null ? "" : params.getFirst("name");
        String condition = params.getFirst("condition") == null ? "" : params.getFirst("condition");
        List<ActionRow> rows = new ArrayList<>();
        List<String> types = params.getOrDefault("actionType", List.of());
        List<String> fields = params.getOrDefault("actionField", List.of());
        List<String> values = params.getOrDefault("actionValue", List.of());
        List<String> messages = params.getOrDefault("actionMessage", List.of());
        for (int i = 0; i < types.size(); i++) {
            if (!types.get(i).isBlank()) {
                rows.add(new ActionRow(types.get(i), i < fields.size() ? fields.get(i) : "",
                        i < values.size() ? values.get(i) : "", i < messages.size() ? messages.get(i) : ""));
            }
        }
        boolean repeats = params.containsKey("repeat");
        String days = params.getFirst("daysBeforeEligible") == null ? "" : params.getFirst("daysBeforeEligible");
        String max = params.getFirst("maxMatches") == null ? "" : params.getFirst("maxMatches");
        try {
            JsonNode body = body(name, condition, rows, repeats, days, max);
            AutomationRules.RuleView saved = id == null ? rules.create(body) : rules.update(id, body);
            return "redirect:/automation/" + saved.id();
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return form(model, id, name, condition, rows(rows), repeats, days, max, e.errors());
        }
    }

    private JsonNode body(String name, String condition, List<ActionRow> rows, boolean repeats, String days,
            String max) {
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
        ArrayNode actions = body.putArray("actions");
        for (ActionRow row : rows) {
            ObjectNode a = actions.addObject();
            a.put("type", row.type().startsWith("assign:") ? "assign" : row.type());
            String v = row.value() == null ? "" : row.value().strip();
            switch (row.type()) {
                case "adjustScore" -> putNumber(a, "points", v);
                case "setScore" -> putNumber(a, "score", v);
                case "addToList", "removeFromList" -> putNumber(a, "listId", v);
                case "addToProgram", "removeFromProgram" -> putNumber(a, "programId", v);
                case "createTask" -> {
                    // field: "24h owner", "48h 7" (hours, then "owner" or a user id); both may be left out
                    String[] parts = row.field() == null ? new String[0] : row.field().strip().split("\\s+");
                    for (String part : parts) {
                        if (part.endsWith("h") && WHOLE.matcher(part.substring(0, part.length() - 1)).matches()) {
                            putNumber(a, "dueInHours", part.substring(0, part.length() - 1));
                        } else if (!part.isEmpty()) {
                            putNumber(a, "userId", part);
                        }
                    }
                    a.put("subject", v);
                }
                case "changeStage" -> a.put("stage", v);
                case "callWebhook" -> a.put("url", v);
                case "notifyUser" -> {
                    String user = row.field() == null ? "" : row.field().strip();
                    putNumber(a, "userId", user.isEmpty() ? "owner" : user);
                    a.put("subject", v);
                    a.put("message", row.message() == null ? "" : row.message());
                }
                case "setDoNotEmail" -> a.put("value", !v.equalsIgnoreCase("false"));
                case "assign:team", "assign:user" -> {
                    putNumber(a, row.type().equals("assign:team") ? "teamId" : "userId", v);
                    a.put("forced", row.field() != null && row.field().strip().equalsIgnoreCase("forced"));
                }
                case "setField" -> {
                    a.put("field", row.field() == null ? "" : row.field().strip());
                    if (v.isEmpty()) {
                        a.putNull("value");
                    } else if (WHOLE.matcher(v).matches()) {
                        a.put("value", Long.parseLong(v));
                    } else if (v.equals("true") || v.equals("false")) {
                        a.put("value", Boolean.parseBoolean(v));
                    } else {
                        a.put("value", v);
                    }
                }
                default -> {
                }
            }
        }
        if (repeats) {
            ObjectNode r = body.putObject("repeat");
            putNumber(r, "daysBeforeEligible", days.strip());
            if (!max.isBlank()) {
                putNumber(r, "maxMatches", max.strip());
            }
        }
        return body;
    }

    private static void putNumber(ObjectNode node, String key, String text) {
        if (WHOLE.matcher(text).matches()) {
            node.put(key, Long.parseLong(text));
        } else {
            node.put(key, text);
        }
    }

    private static List<ActionRow> rows(List<ActionRow> rows) {
        List<ActionRow> all = new ArrayList<>(rows);
        for (int i = 0; i < BLANK_ROWS; i++) {
            all.add(new ActionRow("", "", "", ""));
        }
        return all;
    }

    private String form(Model model, Long id, String name, String condition, List<ActionRow> rows, boolean repeats,
            String days, String max, List<FieldError> errors) {
        model.addAttribute("id", id);
        model.addAttribute("name", name);
        model.addAttribute("condition", condition);
        model.addAttribute("rows", rows);
        model.addAttribute("repeats", repeats);
        model.addAttribute("days", days);
        model.addAttribute("max", max);
        model.addAttribute("errors", errors);
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("", "(no action)");
        kinds.put("adjustScore", "Adjust score by (points)");
        kinds.put("setScore", "Set score to");
        kinds.put("setField", "Set field (field, value; empty clears)");
        kinds.put("addToList", "Add to static list (list id)");
        kinds.put("removeFromList", "Remove from static list (list id)");
        kinds.put("addToProgram", "Add to nurture program (program id)");
        kinds.put("removeFromProgram", "Remove from nurture program (program id)");
        kinds.put("createTask", "Create sales task (value: subject; field: due in hours and owner or user id, e.g. \"24h owner\")");
        kinds.put("changeStage", "Change stage to (e.g. MQL)");
        kinds.put("setDoNotEmail", "Set do-not-email (true / false)");
        kinds.put("callWebhook", "Call webhook (URL)");
        kinds.put("notifyUser", "Notify user (field: owner or user id; value: subject; message)");
        kinds.put("assign:team", "Assign round-robin in team (team id; field \"forced\" replaces an owner)");
        kinds.put("assign:user", "Assign to user (user id; field \"forced\" replaces an owner)");
        model.addAttribute("kinds", kinds);
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

    private String page(Model model, long id, Authentication user, RuleRuns.Preview preview,
            RuleRuns.Resumed resumed, List<FieldError> errors) {
        AutomationRules.RuleView rule = rules.view(id);
        model.addAttribute("rule", rule);
        model.addAttribute("conditionText", json.writerWithDefaultPrettyPrinter().writeValueAsString(rule.condition()));
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
