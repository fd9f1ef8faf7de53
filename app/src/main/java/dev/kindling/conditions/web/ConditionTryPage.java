package dev.kindling.conditions.web;

import dev.kindling.conditions.ConditionJson;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.Prospects;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /conditions/try}: a form holding nothing but the condition builder, linked from nowhere. Submitting it
 * shows the condition as the server received, validated and normalised it: the contract the rule and list forms
 * rely on, working end to end (and a page for the browser tests to drive). {@code ?condition=<json>} preloads one.
 */
@Controller
class ConditionTryPage {

    static final int MAX_TEXT = 200_000;

    private final Prospects prospects;
    private final JsonMapper json;

    ConditionTryPage(Prospects prospects, JsonMapper json) {
        this.prospects = prospects;
        this.json = json;
    }

    @GetMapping("/conditions/try")
    String page(@RequestParam(required = false) String condition, Model model) {
        model.addAttribute("condition", condition == null ? "" : condition);
        model.addAttribute("errors", List.of());
        return "conditions/try";
    }

    @PostMapping("/conditions/try")
    String submit(@RequestParam(required = false) String condition, Model model, HttpServletResponse response) {
        model.addAttribute("condition", condition == null ? "" : condition);
        try {
            JsonNode received = read(condition);
            model.addAttribute("received", json.writeValueAsString(received));
            JsonNode normalised = ConditionJson.write(ConditionJson.parse(received, prospects.customFields(), ""));
            model.addAttribute(
                    "normalised", json.writerWithDefaultPrettyPrinter().writeValueAsString(normalised));
            model.addAttribute("errors", List.of());
        } catch (InvalidInputException e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("errors", e.errors());
        }
        return "conditions/try";
    }

    /** The submitted text as JSON; a missing, oversized or malformed one is a field error of {@code condition}. */
    private JsonNode read(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(List.of(new FieldError("condition", "is required")));
        }
        if (text.length() > MAX_TEXT) {
            throw new InvalidInputException(List.of(new FieldError("condition", "is too long")));
        }
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            throw new InvalidInputException(List.of(new FieldError("condition", "is not valid JSON")));
        }
    }
}
