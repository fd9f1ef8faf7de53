package dev.kindling.prospects;

import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.FieldMessages;
import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The custom fields page at {@code /settings/custom-fields} (everyone reads; ADMIN and MARKETING change, as on the
 * API): the fields with their type and options, a form to create one, and per field {@code /settings/custom-fields/{id}}
 * to change its label or add picklist options, and to delete it while nothing refers to it. Validated by the API's
 * rules ({@link CustomFields}).
 */
@Controller
class CustomFieldPages {

    private final CustomFields fields;

    CustomFieldPages(CustomFields fields) {
        this.fields = fields;
    }

    /** The form as typed. */
    record Input(String name, String label, String type, String options) {

        /** The options one per line, blank lines left out; null when none were typed. */
        List<String> optionList() {
            List<String> list =
                    options.lines().map(String::strip).filter(o -> !o.isEmpty()).toList();
            return list.isEmpty() ? null : list;
        }
    }

    @GetMapping("/settings/custom-fields")
    String index(Authentication who, Model model) {
        return index(who, model, new Input("", "", "TEXT", ""), List.of());
    }

    @PostMapping("/settings/custom-fields")
    String create(
            Authentication who,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String label,
            @RequestParam(defaultValue = "") String type,
            @RequestParam(defaultValue = "") String options,
            Model model,
            HttpServletResponse response) {
        Input input = new Input(name.strip(), label, type, options);
        try {
            fields.create(new CustomFieldController.CustomFieldRequest(
                    input.name(), label.isBlank() ? null : label, type, input.optionList()));
            return "redirect:/settings/custom-fields";
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return index(who, model, input, e.errors());
        } catch (ConflictException e) {
            response.setStatus(409);
            return index(who, model, input, List.of(new FieldError("name", e.getMessage())));
        }
    }

    @GetMapping("/settings/custom-fields/{id}")
    String page(@PathVariable long id, Authentication who, Model model) {
        CustomField field = fields.get(id);
        return page(who, model, field, input(field), List.of());
    }

    @PostMapping("/settings/custom-fields/{id}")
    String update(
            @PathVariable long id,
            Authentication who,
            @RequestParam(defaultValue = "") String label,
            @RequestParam(defaultValue = "") String options,
            Model model,
            HttpServletResponse response) {
        CustomField field = fields.get(id);
        Input input = new Input(field.name(), label, field.type().name(), options);
        try {
            List<String> given = input.optionList();
            fields.update(id, label, field.type() == CustomFieldType.PICKLIST && given == null ? List.of() : given);
            return "redirect:/settings/custom-fields/" + id;
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return page(who, model, field, input, e.errors());
        }
    }

    @PostMapping("/settings/custom-fields/{id}/delete")
    String delete(@PathVariable long id, Authentication who, Model model, HttpServletResponse response) {
        CustomField field = fields.get(id);
        try {
            fields.delete(id);
            return "redirect:/settings/custom-fields";
        } catch (ConflictException e) {
            response.setStatus(409);
            return page(who, model, field, input(field), List.of(new FieldError("", e.getMessage())));
        }
    }

    private String index(Authentication who, Model model, Input input, List<FieldError> errors) {
        model.addAttribute("fields", fields.all().values());
        model.addAttribute("input", input);
        model.addAttribute("types", Arrays.asList(CustomFieldType.values()));
        model.addAttribute("mayWrite", Role.any(who, Role.ADMIN, Role.MARKETING));
        model.addAttribute("errors", FieldMessages.of(errors));
        return "settings/custom-fields";
    }

    private String page(Authentication who, Model model, CustomField field, Input input, List<FieldError> errors) {
        model.addAttribute("field", field);
        model.addAttribute("input", input);
        model.addAttribute("inUse", fields.inUse(field.name()));
        model.addAttribute("mayWrite", Role.any(who, Role.ADMIN, Role.MARKETING));
        model.addAttribute("errors", FieldMessages.of(errors));
        return "settings/custom-field";
    }

    private static Input input(CustomField field) {
        return new Input(field.name(), field.label(), field.type().name(), String.join("\n", field.options()));
    }
}
