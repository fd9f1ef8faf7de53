package dev.kindling.notifications;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.InvalidInputException;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook subscriptions and the delivery log, ADMIN only (security configuration). The secret of a subscription is
 * in the creation answer only; the rule signing secret (for {@code callWebhook}) only in the answer that replaces it.
 */
@RestController
@RequestMapping(path = "/api/v1/webhooks", produces = "application/json")
class WebhookController {

    static final int MAX_LIMIT = 500;

    private final WebhookSubscriptions subscriptions;
    private final WebhookSigning signing;

    WebhookController(WebhookSubscriptions subscriptions, WebhookSigning signing) {
        this.subscriptions = subscriptions;
        this.signing = signing;
    }

    @GetMapping
    List<WebhookSubscriptions.SubscriptionView> list() {
        return subscriptions.list();
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<WebhookSubscriptions.SubscriptionView> create(@RequestBody WebhookRequest body) {
        WebhookSubscriptions.SubscriptionView created = subscriptions.create(body.given());
        return ResponseEntity.created(URI.create("/api/v1/webhooks/" + created.id()))
                .body(created);
    }

    /** A subscription: the https URL to post to, the events it wants, an optional description. */
    record WebhookRequest(String url, List<String> events, String description) implements ApiRequest {}

    @GetMapping("/{id}")
    WebhookSubscriptions.SubscriptionView get(@PathVariable long id) {
        return subscriptions.get(id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        subscriptions.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/test")
    ResponseEntity<WebhookSubscriptions.DeliveryView> test(@PathVariable long id) {
        return ResponseEntity.accepted().body(subscriptions.ping(id));
    }

    @GetMapping("/{id}/deliveries")
    List<WebhookSubscriptions.DeliveryView> deliveriesOf(
            @PathVariable long id,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) Long before) {
        subscriptions.get(id);
        return subscriptions.deliveries(id, limit(limit), before);
    }

    /** Every delivery, rule calls included. */
    @GetMapping("/deliveries")
    List<WebhookSubscriptions.DeliveryView> deliveries(
            @RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) Long before) {
        return subscriptions.deliveries(null, limit(limit), before);
    }

    @GetMapping("/deliveries/{id}")
    WebhookSubscriptions.DeliveryView delivery(@PathVariable long id) {
        return subscriptions.delivery(id);
    }

    /**
     * Gives the subscription a new secret and returns it (shown this once); the old one keeps signing next to it until
     * {@code previousSecretUntil}.
     */
    @PostMapping("/{id}/secret")
    WebhookSigning.Rotated rotateSecret(@PathVariable long id) {
        return subscriptions.rotateSecret(id);
    }

    /** Replaces the secret rule webhooks are signed with and returns it (shown this once), like a subscription's. */
    @PostMapping("/rule-secret")
    WebhookSigning.Rotated rotateRuleSecret() {
        return signing.rotateRuleSecret();
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw InvalidInputException.of("limit", "must be from 1 to " + MAX_LIMIT);
        }
        return limit;
    }
}
