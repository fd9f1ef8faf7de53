package dev.kindling.email;

import dev.kindling.lists.Lists;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ProspectView;
import dev.kindling.prospects.Prospects;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The email pages: {@code /emails} (templates, sends, a form to send a template to a list), the template editor
 * {@code /emails/templates/{id}} with a preview for a chosen prospect, and the send report {@code /emails/sends/{id}}.
 * Forms are validated exactly like the API. The preview's HTML is put in a sandboxed {@code <iframe srcdoc>}: it
 * never becomes part of the app's own page, runs no script and inherits the page's Content Security Policy.
 */
@Controller
class EmailPages {

    private final EmailTemplates templates;
    private final EmailPreviews previews;
    private final EmailSends sends;
    private final Lists lists;
    private final Prospects prospects;
    private final SuppressionLists suppression;
    private final JsonMapper json;

    EmailPages(
            EmailTemplates templates,
            EmailPreviews previews,
            EmailSends sends,
            Lists lists,
            Prospects prospects,
            SuppressionLists suppression,
            JsonMapper json) {
        this.templates = templates;
        this.previews = previews;
        this.sends = sends;
        this.lists = lists;
        this.prospects = prospects;
        this.suppression = suppression;
        this.json = json;
    }

    @GetMapping("/emails")
    String index(Model model) {
        return index(model, List.of(), "", null, null);
    }

    private String index(Model model, List<FieldError> errors, String name, Long templateId, Long listId) {
        model.addAttribute("templates", templates.all());
        model.addAttribute("sends", sends.all());
        model.addAttribute("lists", lists.all());
        model.addAttribute("suppressionLists", suppression.all());
        model.addAttribute("errors", errors);
        model.addAttribute("sendName", name);
        model.addAttribute("templateId", templateId);
        model.addAttribute("listId", listId);
        return "email/index";
    }

    @PostMapping("/emails/sends")
    String send(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(required = false) Long templateId,
            @RequestParam(required = false) Long listId,
            @RequestParam(defaultValue = "") String subjectB,
            @RequestParam(defaultValue = "20") String testPercent,
            @RequestParam(defaultValue = "OPEN_RATE") String metric,
            @RequestParam(defaultValue = "4") String waitHours,
            Model model,
            HttpServletResponse response) {
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        if (templateId != null) {
            body.put("templateId", templateId);
        }
        if (listId != null) {
            body.put("listId", listId);
        }
        try {
            if (!subjectB.isBlank() && templateId != null) {
                ObjectNode ab = body.putObject("abTest");
                String subjectA =
                        templates.find(templateId).map(EmailTemplate::subject).orElse("");
                ab.putArray("subjects").add(subjectA).add(subjectB);
                ab.put("testPercent", number(testPercent, "abTest.testPercent"));
                ab.put("metric", metric);
                ab.put("waitHours", number(waitHours, "abTest.waitHours"));
            }
            EmailSends.SendView s = sends.send(sends.validate(body));
            return "redirect:/emails/sends/" + s.id();
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return index(model, e.errors(), name, templateId, listId);
        }
    }

    @GetMapping("/emails/sends/{id}")
    String report(@PathVariable long id, Model model, HttpServletResponse response) {
        if (sends.find(id).isEmpty()) {
            response.setStatus(404);
            return "not-found";
        }
        model.addAttribute("report", sends.report(id));
        return "email/send";
    }

    @GetMapping("/emails/templates/new")
    String newTemplate(Model model) {
        return editor(
                model,
                null,
                "",
                "",
                "<html><body>\n<p>Hello {{first_name|there}},</p>\n\n"
                        + "<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>\n</body></html>",
                "Hello {{first_name|there}},\n\n\nUnsubscribe: {{unsubscribe_url}}\n",
                List.of(),
                List.of(),
                null,
                null);
    }

    @PostMapping("/emails/templates")
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String subject,
            @RequestParam(defaultValue = "") String html,
            @RequestParam(defaultValue = "") String text,
            @RequestParam(defaultValue = "save") String op,
            @RequestParam MultiValueMap<String, String> params,
            Model model,
            HttpServletResponse response) {
        List<BlockForm> blocks = BlockForm.read(params);
        if (!op.equals("save")) {
            return editor(model, null, name, subject, html, text, BlockForm.apply(blocks, op), List.of(), null, null);
        }
        try {
            EmailTemplate t = templates.create(validate(name, subject, html, text, blocks));
            return "redirect:/emails/templates/" + t.id() + "?saved";
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return editor(model, null, name, subject, html, text, blocks, e.errors(), null, null);
        }
    }

    @GetMapping("/emails/templates/{id}")
    String template(
            @PathVariable long id,
            @RequestParam(required = false) String prospect,
            @RequestParam(required = false) String saved,
            Model model,
            HttpServletResponse response) {
        Optional<EmailTemplate> found = templates.find(id);
        if (found.isEmpty()) {
            response.setStatus(404);
            return "not-found";
        }
        EmailTemplate t = found.get();
        EmailPreviews.Preview preview = null;
        String previewError = null;
        if (prospect != null && !prospect.isBlank()) {
            Optional<ProspectView> p = prospect.strip().matches("[0-9]{1,18}")
                    ? prospects.find(Long.parseLong(prospect.strip()))
                    : prospects.findByEmail(prospect.strip());
            if (p.isPresent()) {
                preview = previews.preview(id, p.get().id());
            } else {
                previewError = "No prospect with that email or id.";
            }
        }
        model.addAttribute("saved", saved != null);
        model.addAttribute("prospect", prospect == null ? "" : prospect);
        return editor(
                model,
                t,
                t.name(),
                t.subject(),
                t.html(),
                t.text(),
                BlockForm.of(t, json),
                List.of(),
                preview,
                previewError);
    }

    @PostMapping("/emails/templates/{id}")
    String save(
            @PathVariable long id,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String subject,
            @RequestParam(defaultValue = "") String html,
            @RequestParam(defaultValue = "") String text,
            @RequestParam(defaultValue = "save") String op,
            @RequestParam MultiValueMap<String, String> params,
            Model model,
            HttpServletResponse response) {
        EmailTemplate t = templates.get(id);
        List<BlockForm> blocks = BlockForm.read(params);
        model.addAttribute("prospect", "");
        if (!op.equals("save")) {
            return editor(model, t, name, subject, html, text, BlockForm.apply(blocks, op), List.of(), null, null);
        }
        try {
            templates.replace(id, validate(name, subject, html, text, blocks));
            return "redirect:/emails/templates/" + id + "?saved";
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return editor(model, t, name, subject, html, text, blocks, e.errors(), null, null);
        }
    }

    private String editor(
            Model model,
            EmailTemplate t,
            String name,
            String subject,
            String html,
            String text,
            List<BlockForm> blocks,
            List<FieldError> errors,
            EmailPreviews.Preview preview,
            String previewError) {
        model.addAttribute("template", t);
        model.addAttribute("name", name);
        model.addAttribute("subject", subject);
        model.addAttribute("html", html);
        model.addAttribute("text", text);
        model.addAttribute("blocks", blocks);
        model.addAttribute("errors", errors);
        model.addAttribute("fieldErrors", BlockForm.errorsByField(blocks, errors));
        model.addAttribute("preview", preview);
        model.addAttribute("previewError", previewError);
        if (!model.containsAttribute("prospect")) {
            model.addAttribute("prospect", "");
        }
        if (!model.containsAttribute("saved")) {
            model.addAttribute("saved", false);
        }
        return "email/template";
    }

    /**
     * The template's JSON from the form, validated exactly as the API validates it. A condition that is not JSON (only
     * possible without JavaScript) is reported at its case's path together with every other problem.
     */
    private EmailTemplates.Values validate(
            String name, String subject, String html, String text, List<BlockForm> blocks) {
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        body.put("subject", subject);
        body.put("html", html);
        body.put("text", text);
        List<FieldError> unreadable = new java.util.ArrayList<>();
        body.set("blocks", BlockForm.toJson(blocks, json, unreadable));
        try {
            EmailTemplates.Values values = templates.validate(body);
            if (!unreadable.isEmpty()) {
                throw new InvalidInputException(unreadable);
            }
            return values;
        } catch (InvalidInputException e) {
            if (unreadable.isEmpty()) {
                throw e;
            }
            List<FieldError> all = new java.util.ArrayList<>(unreadable);
            e.errors().stream()
                    .filter(err ->
                            unreadable.stream().noneMatch(u -> err.field().startsWith(u.field())))
                    .forEach(all::add);
            throw new InvalidInputException(all);
        }
    }

    private static long number(String value, String field) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw InvalidInputException.of(field, "must be a whole number");
        }
    }
}
