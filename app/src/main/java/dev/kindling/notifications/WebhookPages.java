package dev.kindling.notifications;

import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Webhooks settings page ({@code /settings/webhooks}, ADMIN): subscriptions with their delivery counts, a form to
 * add one (its secret is shown once, on the page that answers the form), the delivery log, a test call, and the rule
 * signing secret. The same service as the API.
 */
@Controller
class WebhookPages {

    private final WebhookSubscriptions subscriptions;
    private final WebhookSigning signing;
    private final JsonMapper json;

    WebhookPages(WebhookSubscriptions subscriptions, WebhookSigning signing, JsonMapper json) {
        this.subscriptions = subscriptions;
        this.signing = signing;
        this.json = json;
    }

    @GetMapping("/settings/webhooks")
    String index(Model model) {
        return page(model, "", "", "", List.of(), null, null);
    }

    @PostMapping("/settings/webhooks/{id}/secret")
    String rotateSecret(@PathVariable long id, Model model) {
        model.addAttribute("rotated", subscriptions.rotateSecret(id));
        return page(model, "", "", "", List.of(), null, null);
    }

    @PostMapping("/settings/webhooks")
    String create(
            @RequestParam(defaultValue = "") String url,
            @RequestParam(defaultValue = "") String events,
            @RequestParam(defaultValue = "") String description,
            Model model,
            HttpServletResponse response) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("url", url);
        input.put(
                "events",
                Arrays.stream(events.split("[,\\s]+"))
                        .filter(e -> !e.isBlank())
                        .map(Object.class::cast)
                        .toList());
        input.put("description", description.isBlank() ? null : description);
        try {
            WebhookSubscriptions.SubscriptionView created = subscriptions.create(input);
            return page(model, "", "", "", List.of(), created, null);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return page(model, url, events, description, e.errors(), null, null);
        }
    }

    @PostMapping("/settings/webhooks/{id}/delete")
    String delete(@PathVariable long id) {
        subscriptions.delete(id);
        return "redirect:/settings/webhooks";
    }

    @PostMapping("/settings/webhooks/{id}/test")
    String test(@PathVariable long id) {
        subscriptions.ping(id);
        return "redirect:/settings/webhooks";
    }

    @PostMapping("/settings/webhooks/rule-secret")
    String rotate(Model model) {
        return page(model, "", "", "", List.of(), null, signing.rotateRuleSecret());
    }

    @GetMapping("/settings/webhooks/deliveries/{id}")
    String delivery(@PathVariable long id, Model model, HttpServletResponse response) {
        try {
            WebhookSubscriptions.DeliveryView d = subscriptions.delivery(id);
            model.addAttribute("delivery", d);
            model.addAttribute(
                    "bodyText", json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(d.body())));
            return "notifications/delivery";
        } catch (NotFoundException e) {
            response.setStatus(404);
            return "not-found";
        }
    }

    private String page(
            Model model,
            String url,
            String events,
            String description,
            List<FieldError> errors,
            WebhookSubscriptions.SubscriptionView created,
            WebhookSigning.Rotated ruleSecret) {
        model.addAttribute("subscriptions", subscriptions.list());
        model.addAttribute("deliveries", subscriptions.deliveries(null, 50, null));
        model.addAttribute("known", WebhookEvents.KNOWN);
        model.addAttribute("url", url);
        model.addAttribute("events", events);
        model.addAttribute("description", description);
        model.addAttribute("errors", errors);
        model.addAttribute("created", created);
        model.addAttribute("ruleSecret", ruleSecret);
        if (!model.containsAttribute("rotated")) {
            model.addAttribute("rotated", null);
        }
        model.addAttribute("ruleSecretCreatedAt", signing.ruleSecretCreatedAt());
        return "notifications/webhooks";
    }
}
