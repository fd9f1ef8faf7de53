package dev.kindling.notifications;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.outbound.OutboundPolicy;
import dev.kindling.platform.outbound.StandardWebhooks;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook subscriptions (an http(s) endpoint, the events it wants, a generated secret shown once) and the delivery
 * log of the webhook outbox. Used by the API and the settings page alike, so both validate the same way.
 */
@Component
class WebhookSubscriptions {

    private final AuditLog audit;

    static final int MAX_EVENTS = 20;
    static final Set<String> FIELDS = Set.of("url", "events", "description");

    /** A subscription as shown; {@code secret} only in the answer to its creation. */
    record SubscriptionView(
            long id,
            String url,
            List<String> events,
            String description,
            Instant createdAt,
            long delivered,
            long failing,
            long pending,
            String secret) {}

    /** One delivery (one row of the outbox): its state after the last attempt. */
    record DeliveryView(
            long id,
            UUID deliveryId,
            Long subscriptionId,
            String url,
            String event,
            String source,
            int attempts,
            Integer lastStatus,
            String lastError,
            Instant createdAt,
            Instant deliveredAt,
            Instant nextAttemptAt,
            String status,
            String body) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final WebhookOutbox outbox;
    private final JsonMapper json;
    private final OutboundPolicy policy;
    private final WebhookSigning signing;

    WebhookSubscriptions(
            JdbcClient jdbc,
            Clock clock,
            WebhookOutbox outbox,
            JsonMapper json,
            OutboundPolicy policy,
            WebhookSigning signing,
            AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
        this.outbox = outbox;
        this.json = json;
        this.policy = policy;
        this.signing = signing;
    }

    /** Validates and stores a subscription; the answer carries the secret, which is never shown again. */
    @Transactional
    SubscriptionView create(Map<String, Object> input) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : input.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field (url, events, description)"));
            }
        }
        URI url = policy.webhookUrl(input.get("url"), "url", errors);
        List<String> events = events(input.get("events"), errors);
        Object d = input.get("description");
        if (d != null && (!(d instanceof String s) || s.length() > 200)) {
            errors.add(new FieldError("description", "must be text of at most 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String secret = StandardWebhooks.newSecret();
        String description = d == null || ((String) d).isBlank() ? null : ((String) d).strip();
        long id = jdbc.sql("""
                        INSERT INTO webhook_subscription (url, events, secret, description, created_at)
                        VALUES (:url, :events, :secret, :description, :now) RETURNING id""")
                .param("url", url.toString())
                .param("events", events.toArray(String[]::new))
                .param("secret", secret)
                .param("description", description)
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
        SubscriptionView v = get(id);
        audit.record(AuditEntry.created("webhook_subscription", id, v));
        return new SubscriptionView(v.id(), v.url(), v.events(), v.description(), v.createdAt(), 0, 0, 0, secret);
    }

    private static List<String> events(Object raw, List<FieldError> errors) {
        List<String> events = new ArrayList<>();
        if (!(raw instanceof List<?> list) || list.isEmpty() || list.size() > MAX_EVENTS) {
            errors.add(new FieldError(
                    "events",
                    "must be a list of 1 to " + MAX_EVENTS + " event names (" + String.join(", ", WebhookEvents.KNOWN)
                            + ") or \"*\" for every event"));
            return events;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Object e = list.get(i);
            if (!(e instanceof String s) || !(s.equals(WebhookEvents.ALL) || WebhookEvents.isEventName(s))) {
                errors.add(new FieldError(
                        "events[" + i + "]",
                        "must be an event name like prospect.assigned (lower-case dotted words) or \"*\""));
                continue;
            }
            seen.add(s);
        }
        events.addAll(seen);
        return events;
    }

    private static final String VIEW = """
            SELECT s.id, s.url, s.events, s.description, s.created_at,
                   count(o.id) FILTER (WHERE o.delivered_at IS NOT NULL),
                   count(o.id) FILTER (WHERE o.delivered_at IS NULL AND o.last_error IS NOT NULL),
                   count(o.id) FILTER (WHERE o.delivered_at IS NULL AND o.last_error IS NULL AND o.next_attempt_at IS NOT NULL)
              FROM webhook_subscription s LEFT JOIN webhook_outbox o ON o.subscription_id = s.id
             WHERE s.deleted_at IS NULL""";

    List<SubscriptionView> list() {
        return jdbc.sql(VIEW + " GROUP BY s.id ORDER BY s.id")
                .query(WebhookSubscriptions::subscription)
                .list();
    }

    SubscriptionView get(long id) {
        return jdbc.sql(VIEW + " AND s.id = :id GROUP BY s.id")
                .param("id", id)
                .query(WebhookSubscriptions::subscription)
                .optional()
                .orElseThrow(() -> new NotFoundException("No webhook subscription " + id));
    }

    private static SubscriptionView subscription(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new SubscriptionView(
                rs.getLong(1),
                rs.getString(2),
                List.of((String[]) rs.getArray(3).getArray()),
                rs.getString(4),
                rs.getTimestamp(5).toInstant(),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8),
                null);
    }

    /**
     * Gives a subscription a new secret (returned once); the old one keeps signing next to it until the returned time.
     */
    @Transactional
    WebhookSigning.Rotated rotateSecret(long id) {
        WebhookSigning.Rotated rotated = signing.rotateSubscriptionSecret(id);
        if (rotated == null) {
            throw new NotFoundException("No webhook subscription " + id);
        }
        return rotated;
    }

    /** Deletes a subscription: no new deliveries, pending ones cancelled, its log kept. */
    @Transactional
    void delete(long id) {
        audit.record(AuditEntry.deleted("webhook_subscription", id, get(id)));
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("UPDATE webhook_subscription SET deleted_at = :now WHERE id = :id")
                .param("now", now)
                .param("id", id)
                .update();
        jdbc.sql("""
                        UPDATE webhook_outbox SET next_attempt_at = NULL,
                               last_error = coalesce(last_error || '; ', '') || 'cancelled: subscription deleted'
                         WHERE subscription_id = :id AND delivered_at IS NULL AND next_attempt_at IS NOT NULL""").param("id", id).update();
    }

    /** Queues a {@code webhook.test} delivery to this subscription (to check the endpoint and the signature). */
    @Transactional
    DeliveryView ping(long id) {
        SubscriptionView s = get(id);
        UUID delivery = UUID.randomUUID();
        Map<String, Object> payload = new java.util.LinkedHashMap<>();
        payload.put("id", delivery.toString());
        payload.put("event", "webhook.test");
        payload.put("occurredAt", clock.instant().toString());
        payload.put("data", Map.of("subscriptionId", id));
        outbox.enqueue(List.of(new WebhookOutbox.WebhookCall(
                delivery, s.url(), id, "webhook.test", json.writeValueAsString(payload), "test", null)));
        return deliveries(id, 1, null).getFirst();
    }

    private static final String DELIVERY = """
            SELECT o.id, o.delivery_id, o.subscription_id, o.url, o.event, o.source, o.attempts, o.last_status,
                   o.last_error, o.created_at, o.delivered_at, o.next_attempt_at, o.body::text
              FROM webhook_outbox o""";

    /** The newest deliveries (of one subscription, or of all when null), before the row id {@code before}. */
    List<DeliveryView> deliveries(Long subscriptionId, int limit, Long before) {
        return jdbc.sql(DELIVERY + " " + """
                         WHERE (CAST(:sub AS bigint) IS NULL OR o.subscription_id = :sub)
                           AND (CAST(:before AS bigint) IS NULL OR o.id < :before)
                         ORDER BY o.id DESC LIMIT :limit""")
                .param("sub", subscriptionId)
                .param("before", before)
                .param("limit", limit)
                .query(WebhookSubscriptions::delivery)
                .list();
    }

    DeliveryView delivery(long id) {
        return jdbc.sql(DELIVERY + " WHERE o.id = :id")
                .param("id", id)
                .query(WebhookSubscriptions::delivery)
                .optional()
                .orElseThrow(() -> new NotFoundException("No webhook delivery " + id));
    }

    private static DeliveryView delivery(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp delivered = rs.getTimestamp(11);
        Timestamp next = rs.getTimestamp(12);
        String error = rs.getString(9);
        String status =
                delivered != null ? "DELIVERED" : next == null ? "FAILED" : error == null ? "PENDING" : "RETRYING";
        return new DeliveryView(
                rs.getLong(1),
                rs.getObject(2, UUID.class),
                (Long) rs.getObject(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getInt(7),
                (Integer) rs.getObject(8),
                error,
                rs.getTimestamp(10).toInstant(),
                delivered == null ? null : delivered.toInstant(),
                next == null ? null : next.toInstant(),
                status,
                rs.getString(13));
    }
}
