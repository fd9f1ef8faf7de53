package dev.kindling.notifications;

import java.util.Map;
import java.util.Objects;

/**
 * Something a user should hear about: the {@code event} name webhook subscriptions select on (e.g.
 * {@code prospect.assigned}, {@code sla.breached}), the mail subject and plain text, the JSON {@code data} of the
 * webhook payload, and a {@code dedupeKey} that makes sending it again a no-op (per user for mail, per subscription
 * for webhooks); a null key means "never deduplicated".
 */
public record Notice(String event, String subject, String text, Map<String, Object> data, String dedupeKey) {

    public Notice {
        Objects.requireNonNull(event, "event");
        if (!WebhookEvents.isEventName(event)) {
            throw new IllegalArgumentException("Not an event name (like prospect.assigned): " + event);
        }
        subject = subject == null ? "" : subject;
        text = text == null ? "" : text;
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }
}
