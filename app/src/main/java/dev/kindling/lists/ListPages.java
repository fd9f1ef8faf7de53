package dev.kindling.lists;

import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The list pages: {@code /lists} (every list with its member count, and a form to create one) and
 * {@code /lists/{id}} (edit, members paged, membership history with reasons). Plain HTML forms with their CSRF
 * token, validated exactly like the API; the condition is edited with the visual condition builder.
 */
@Controller
class ListPages {

    static final int PAGE = 50;

    private final Lists lists;
    private final ListInput input;
    private final JsonMapper json;

    ListPages(Lists lists, ListInput input, JsonMapper json) {
        this.lists = lists;
        this.input = input;
        this.json = json;
    }

    @GetMapping("/lists")
    String index(Model model) {
        return index(model, "", Lists.DYNAMIC, "", List.of());
    }

    @PostMapping("/lists")
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String kind,
            @RequestParam(defaultValue = "") String condition,
            Model model,
            HttpServletResponse response) {
        try {
            ListView created = lists.create(input.definition(body(name, kind, condition)));
            return "redirect:/lists/" + created.id();
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return index(model, name, kind, condition, e.errors());
        }
    }

    private String index(Model model, String name, String kind, String condition, List<FieldError> errors) {
        model.addAttribute("lists", lists.all());
        model.addAttribute("name", name);
        model.addAttribute("kind", kind);
        model.addAttribute("condition", condition);
        model.addAttribute("errors", errors);
        return "lists/index";
    }

    @GetMapping("/lists/{id}")
    String page(
            @PathVariable long id,
            @RequestParam(required = false) String cursor,
            Model model,
            HttpServletResponse response) {
        ListView list = lists.find(id).orElse(null);
        if (list == null) {
            response.setStatus(404);
            return "not-found";
        }
        return page(model, list, list.name(), list.kind(), pretty(list.condition()), cursor, List.of(), null);
    }

    @PostMapping("/lists/{id}")
    String save(
            @PathVariable long id,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String kind,
            @RequestParam(defaultValue = "") String condition,
            Model model,
            HttpServletResponse response) {
        ListView list = lists.find(id).orElseThrow(() -> new NotFoundException("No list " + id));
        try {
            ListView saved = lists.replace(id, input.definition(body(name, kind, condition)));
            return page(
                    model,
                    saved,
                    saved.name(),
                    saved.kind(),
                    pretty(saved.condition()),
                    null,
                    List.of(),
                    saved.rebuild() == null ? new ListRebuild(0, 0, 0, 0) : saved.rebuild());
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return page(model, list, name, kind, condition, null, e.errors(), null);
        }
    }

    @PostMapping("/lists/{id}/delete")
    String delete(@PathVariable long id) {
        lists.delete(id);
        return "redirect:/lists";
    }

    private String page(
            Model model,
            ListView list,
            String name,
            String kind,
            String condition,
            String cursor,
            List<FieldError> errors,
            ListRebuild saved) {
        model.addAttribute("list", list);
        model.addAttribute("name", name);
        model.addAttribute("kind", kind);
        model.addAttribute("condition", condition);
        model.addAttribute("errors", errors);
        model.addAttribute("saved", saved);
        model.addAttribute("members", lists.members(list.id(), PAGE, cursor));
        model.addAttribute("history", lists.history(list.id(), PAGE, null).items());
        return "lists/page";
    }

    /** The form as the API's JSON body; text that is not JSON is an error under {@code condition}. */
    private JsonNode body(String name, String kind, String condition) {
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        body.put("kind", kind);
        // the condition builder always posts a condition; a static list ignores it
        if (Lists.DYNAMIC.equals(kind)) {
            if (condition.isBlank()) {
                body.putNull("condition");
            } else {
                try {
                    body.set("condition", json.readTree(condition));
                } catch (JacksonException e) {
                    throw InvalidInputException.of("condition", "is not valid JSON");
                }
            }
        }
        return body;
    }

    private String pretty(JsonNode condition) {
        return condition == null ? "" : json.writerWithDefaultPrettyPrinter().writeValueAsString(condition);
    }
}
