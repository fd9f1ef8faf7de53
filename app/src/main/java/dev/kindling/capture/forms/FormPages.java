package dev.kindling.capture.forms;

import dev.kindling.automation.ActionEditor;
import dev.kindling.automation.CompletionActions;
import dev.kindling.campaigns.Campaigns;
import dev.kindling.capture.CaptureRateLimits;
import dev.kindling.platform.outbound.PublicUrl;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.FieldMessages;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.JsonValues;
import dev.kindling.prospects.ProspectField;
import dev.kindling.prospects.Prospects;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * The form pages: {@code /forms} (every form with its submissions, errors and prospects created), the form designer
 * ({@code /forms/new}, {@code /forms/{id}/edit}: fields with label, mapping, type, required and message; redirects;
 * campaign; completion actions in the rules' action editor; honeypot) and a form's page ({@code /forms/{id}}: figures
 * by week, the prospects it created, a preview, the embed code and the form-handler snippet). Writes for ADMIN and
 * MARKETING (the default rule of {@code SecurityConfiguration}).
 */
@Controller
class FormPages {

    static final int BLANK_FIELDS = 2;

    private final FormDesigns designs;
    private final Forms forms;
    private final FormFigures figures;
    private final Prospects prospects;
    private final Campaigns campaigns;
    private final CompletionActions completionActions;
    private final PublicUrl publicUrl;
    private final CaptureRateLimits rateLimits;
    private final JsonMapper json;

    FormPages(
            FormDesigns designs,
            Forms forms,
            FormFigures figures,
            Prospects prospects,
            Campaigns campaigns,
            CompletionActions completionActions,
            PublicUrl publicUrl,
            CaptureRateLimits rateLimits,
            JsonMapper json) {
        this.designs = designs;
        this.forms = forms;
        this.figures = figures;
        this.prospects = prospects;
        this.campaigns = campaigns;
        this.completionActions = completionActions;
        this.publicUrl = publicUrl;
        this.rateLimits = rateLimits;
        this.json = json;
    }

    /** The designer's form as typed. */
    record Input(
            String key,
            String name,
            String successUrl,
            String errorUrl,
            String campaignId,
            boolean honeypot,
            String rateLimitPerMinute,
            boolean progressive,
            List<FormDesigns.Field> fields,
            List<ActionEditor.Row> actions) {}

    @GetMapping("/forms")
    String index(Model model, Authentication user) {
        model.addAttribute("forms", figures.list());
        model.addAttribute("mayWrite", mayWrite(user));
        return "forms/index";
    }

    @GetMapping("/forms/new")
    String create(Model model) {
        List<FormDesigns.Field> fields = List.of(
                new FormDesigns.Field("email", "Email", "email", "email", true, "Please enter your work email"),
                new FormDesigns.Field("first_name", "First name", "firstName", "text", false, ""),
                new FormDesigns.Field("company", "Company", "company", "text", false, ""));
        return designer(model, null, new Input("", "", "", "", "", true, "", false, fields, List.of()), List.of());
    }

    @PostMapping("/forms")
    String save(@RequestParam MultiValueMap<String, String> params, Model model, HttpServletResponse response) {
        return save(null, params, model, response);
    }

    @GetMapping("/forms/{id}/edit")
    String edit(@PathVariable long id, Model model, HttpServletResponse response) {
        FormDesigns.Design design = designs.find(id).orElse(null);
        if (design == null) {
            response.setStatus(404);
            return "not-found";
        }
        Form f = design.form();
        return designer(
                model,
                id,
                new Input(
                        f.key(),
                        f.name(),
                        f.successUrl(),
                        f.errorUrl() == null ? "" : f.errorUrl(),
                        f.campaignId() == null ? "" : f.campaignId().toString(),
                        design.honeypot(),
                        design.settings().rateLimitPerMinute() == null
                                ? ""
                                : design.settings().rateLimitPerMinute().toString(),
                        design.settings().progressive(),
                        design.fields(),
                        ActionEditor.rows(f.completionActions())),
                List.of());
    }

    @PostMapping("/forms/{id}")
    String update(
            @PathVariable long id,
            @RequestParam MultiValueMap<String, String> params,
            Model model,
            HttpServletResponse response) {
        forms.get(id);
        return save(id, params, model, response);
    }

    @PostMapping("/forms/{id}/delete")
    String delete(@PathVariable long id) {
        forms.delete(id);
        return "redirect:/forms";
    }

    @GetMapping("/forms/{id}")
    String page(@PathVariable long id, Model model, Authentication user, HttpServletResponse response) {
        FormDesigns.Design design = designs.find(id).orElse(null);
        if (design == null) {
            response.setStatus(404);
            return "not-found";
        }
        Form form = design.form();
        model.addAttribute("design", design);
        model.addAttribute("form", form);
        model.addAttribute("actionUrl", publicUrl.of("/f/" + form.key()));
        model.addAttribute(
                "embedCode",
                "<script async src=\"" + publicUrl.of("/f/embed.js") + "\" data-form=\"" + form.key() + "\"></script>");
        model.addAttribute("handlerSnippet", handlerSnippet(design, publicUrl.of("/f/" + form.key())));
        model.addAttribute("totals", figures.totals(form.key()));
        model.addAttribute("weeks", figures.weeks(form.key()));
        model.addAttribute("created", figures.prospectsCreated(form.key()));
        model.addAttribute(
                "campaign",
                form.campaignId() == null
                        ? null
                        : campaigns.find(form.campaignId()).orElse(null));
        model.addAttribute("actionsText", ActionEditor.rows(form.completionActions()));
        model.addAttribute("limits", rateLimits.formLimits());
        model.addAttribute("mayWrite", mayWrite(user));
        return "forms/page";
    }

    private String save(Long id, MultiValueMap<String, String> params, Model model, HttpServletResponse response) {
        Input input = input(params);
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("key", input.key().isBlank() ? null : input.key().strip());
        raw.put("name", input.name());
        raw.put("successUrl", input.successUrl());
        raw.put("errorUrl", input.errorUrl().isBlank() ? null : input.errorUrl());
        if (!input.campaignId().isBlank()) {
            try {
                raw.put("campaignId", Long.parseLong(input.campaignId().strip()));
            } catch (NumberFormatException e) {
                raw.put("campaignId", input.campaignId());
            }
        }
        raw.put("completionActions", JsonValues.value(ActionEditor.json(json, input.actions())));
        Integer limit = null;
        if (!input.rateLimitPerMinute().isBlank()) {
            try {
                limit = Integer.parseInt(input.rateLimitPerMinute().strip());
            } catch (NumberFormatException e) {
                response.setStatus(400);
                return designer(
                        model,
                        id,
                        input,
                        List.of(new FieldError("rateLimitPerMinute", FormDesigns.RATE_LIMIT_MESSAGE)));
            }
        }
        try {
            Form saved = designs.save(
                    id,
                    raw,
                    input.fields(),
                    new FormDesigns.Settings(input.honeypot(), limit, input.progressive()),
                    all -> FormValues.validate(
                            all,
                            prospects.customFields().keySet(),
                            campaigns::exists,
                            (actions, errors) -> completionActions.validate(actions, "completionActions", errors)));
            return "redirect:/forms/" + saved.id();
        } catch (InvalidInputException e) {
            response.setStatus(e.status().value());
            return designer(model, id, input, e.errors());
        } catch (dev.kindling.platform.web.ConflictException e) {
            response.setStatus(409);
            return designer(model, id, input, List.of(new FieldError("key", e.getMessage())));
        }
    }

    private static Input input(MultiValueMap<String, String> params) {
        List<String> names = params.getOrDefault("fieldName", List.of());
        List<FormDesigns.Field> fields = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip();
            String label = at(params, "fieldLabel", i).strip();
            if (name.isEmpty() && label.isEmpty()) {
                continue;
            }
            fields.add(new FormDesigns.Field(
                    name,
                    label.isEmpty() ? name : label,
                    at(params, "fieldTarget", i),
                    at(params, "fieldType", i),
                    "yes".equals(at(params, "fieldRequired", i)),
                    at(params, "fieldMessage", i).strip()));
        }
        return new Input(
                first(params, "key"),
                first(params, "name"),
                first(params, "successUrl"),
                first(params, "errorUrl"),
                first(params, "campaignId"),
                "on".equals(params.getFirst("honeypot")),
                first(params, "rateLimitPerMinute"),
                "on".equals(params.getFirst("progressive")),
                fields,
                ActionEditor.posted(params));
    }

    private static String at(MultiValueMap<String, String> params, String name, int i) {
        List<String> values = params.getOrDefault(name, List.of());
        return i < values.size() && values.get(i) != null ? values.get(i) : "";
    }

    private static String first(MultiValueMap<String, String> params, String name) {
        String value = params.getFirst(name);
        return value == null ? "" : value;
    }

    private String designer(Model model, Long id, Input input, List<FieldError> errors) {
        List<FormDesigns.Field> rows = new ArrayList<>(input.fields());
        for (int i = 0; i < BLANK_FIELDS; i++) {
            rows.add(new FormDesigns.Field("", "", "", "text", false, ""));
        }
        model.addAttribute("id", id);
        model.addAttribute("input", input);
        model.addAttribute("rows", rows);
        model.addAttribute("actionRows", ActionEditor.withBlanks(input.actions()));
        model.addAttribute("kinds", ActionEditor.KINDS);
        model.addAttribute("errors", FieldMessages.of(errors));
        model.addAttribute("targets", targets());
        model.addAttribute("types", FormDesigns.TYPES.stream().sorted().toList());
        model.addAttribute("campaigns", campaigns.list());
        return "forms/designer";
    }

    /** The prospect fields a form field may fill: the standard ones, then the custom fields. */
    private Map<String, String> targets() {
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("", "(choose a field)");
        Arrays.stream(ProspectField.values()).forEach(f -> targets.put(f.json(), f.json()));
        prospects.customFields().values().forEach(c -> targets.put(c.name(), c.label() + " (custom)"));
        return targets;
    }

    /** The HTML of a site's own form posting to the handler, escaped for the page that shows it as text. */
    static String handlerSnippet(FormDesigns.Design design, String action) {
        StringBuilder html = new StringBuilder("<form action=\"")
                .append(HtmlUtils.htmlEscape(action))
                .append("\" method=\"post\">\n");
        for (FormDesigns.Field f : design.fields()) {
            String name = HtmlUtils.htmlEscape(f.name());
            String label = HtmlUtils.htmlEscape(f.label());
            String required = f.required() ? " required" : "";
            html.append("  <label>").append(label).append(" ");
            if (f.type().equals("textarea")) {
                html.append("<textarea name=\"")
                        .append(name)
                        .append("\"")
                        .append(required)
                        .append("></textarea>");
            } else if (f.type().equals("checkbox")) {
                html.append("<input type=\"checkbox\" name=\"")
                        .append(name)
                        .append("\" value=\"true\"")
                        .append(required)
                        .append(">");
            } else {
                html.append("<input type=\"")
                        .append(f.type())
                        .append("\" name=\"")
                        .append(name)
                        .append("\"")
                        .append(required)
                        .append(">");
            }
            html.append("</label>\n");
        }
        if (design.honeypot()) {
            html.append("  <!-- honeypot: hidden from people, bots fill it -->\n")
                    .append("  <input type=\"text\" name=\"website_url\" tabindex=\"-1\" autocomplete=\"off\"")
                    .append(" style=\"position:absolute;left:-10000px\" aria-hidden=\"true\">\n");
        }
        return html.append("  <button type=\"submit\">Submit</button>\n</form>\n")
                .append("<!-- with the tracking script on the page, the visitor is linked to the prospect -->")
                .toString();
    }

    static boolean mayWrite(Authentication user) {
        return Role.any(user, Role.ADMIN, Role.MARKETING);
    }
}
