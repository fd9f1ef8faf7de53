package dev.kindling.notifications;

import dev.kindling.mail.MailOutbox;
import dev.kindling.mail.OutgoingMail;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells users that something happened, in the caller's transaction and without waiting on any network: an email to
 * each active user through the {@link MailOutbox} (deduplicated per user by {@code notice.dedupeKey}), and one signed
 * JSON POST per webhook subscription for the event through the {@link WebhookOutbox} — payload
 * {@code {id, event, occurredAt, data}} where {@code data} is the notice's data plus {@code recipients}
 * ({@code [{id, email, name}]}). Inactive or unknown users get no mail (logged, not an error: the user may have been
 * deactivated since the caller decided).
 */
@Component
public class Notifications {

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    /** Which ways a notice goes out: mail to the users and the event's webhooks (the default), or one of them. */
    public enum Channels {
        ALL,
        MAIL,
        WEBHOOKS
    }

    /**
     * One notice to a set of users, for {@link #notifyAll}; {@code channels} lets a caller send one digest mail for
     * many webhook events (the users are still the webhook payload's recipients).
     */
    public record Addressed(Collection<Long> userIds, Notice notice, Channels channels) {

        public Addressed(Collection<Long> userIds, Notice notice) {
            this(userIds, notice, Channels.ALL);
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final MailOutbox mail;
    private final WebhookOutbox webhooks;
    private final JsonMapper json;

    Notifications(JdbcClient jdbc, Clock clock, MailOutbox mail, WebhookOutbox webhooks, JsonMapper json) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.mail = mail;
        this.webhooks = webhooks;
        this.json = json;
    }

    /** Emails one user and calls the event's webhook subscriptions. */
    public void notifyUser(long userId, Notice notice) {
        notifyUsers(List.of(userId), notice);
    }

    /** Emails these users and calls the event's webhook subscriptions once (with all of them as recipients). */
    public void notifyUsers(Collection<Long> userIds, Notice notice) {
        notifyAll(List.of(new Addressed(userIds, notice)));
    }

    /** Many notices at once, in a fixed number of statements (for actions over many prospects). */
    public void notifyAll(List<Addressed> notices) {
        if (notices.isEmpty()) {
            return;
        }
        Long[] ids =
                notices.stream().flatMap(a -> a.userIds().stream()).distinct().toArray(Long[]::new);
        Map<Long, Recipient> users = new LinkedHashMap<>();
        if (ids.length > 0) {
            jdbc.sql("SELECT id, email, name FROM app_user WHERE id = ANY(:ids) AND active")
                    .param("ids", ids)
                    .query((rs, n) ->
                            users.put(rs.getLong(1), new Recipient(rs.getLong(1), rs.getString(2), rs.getString(3))))
                    .list();
        }
        Map<String, List<Subscription>> byEvent = subscriptions(notices);
        String occurredAt = clock.instant().toString();
        List<MailOutbox.Keyed> mails = new ArrayList<>();
        List<WebhookOutbox.WebhookCall> calls = new ArrayList<>();
        for (Addressed a : notices) {
            Notice notice = a.notice();
            String key = notice.dedupeKey() == null ? UUID.randomUUID().toString() : notice.dedupeKey();
            Long prospectId = notice.data().get("prospectId") instanceof Number n ? n.longValue() : null;
            List<Recipient> recipients = new ArrayList<>();
            for (Long userId : a.userIds().stream().distinct().toList()) {
                Recipient r = users.get(userId);
                if (r == null) {
                    log.info("Notice {} not mailed to user {}: no such active user", notice.event(), userId);
                    continue;
                }
                recipients.add(r);
                if (a.channels() == Channels.WEBHOOKS) {
                    continue;
                }
                mails.add(new MailOutbox.Keyed(
                        OutgoingMail.notification(r.email(), notice.subject(), notice.text(), prospectId),
                        "notice:" + key + ":user:" + userId));
            }
            List<Subscription> hooks =
                    a.channels() == Channels.MAIL ? List.of() : byEvent.getOrDefault(notice.event(), List.of());
            for (Subscription s : hooks) {
                UUID delivery = UUID.randomUUID();
                Map<String, Object> data = new LinkedHashMap<>(notice.data());
                data.put("recipients", recipients);
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("id", delivery.toString());
                payload.put("event", notice.event());
                payload.put("occurredAt", occurredAt);
                payload.put("data", data);
                calls.add(new WebhookOutbox.WebhookCall(
                        delivery,
                        s.url(),
                        s.id(),
                        notice.event(),
                        json.writeValueAsString(payload),
                        "notice",
                        "notice:" + key));
            }
        }
        mail.enqueueAll(mails);
        webhooks.enqueue(calls);
    }

    /** A user a notice is for, as webhook receivers see them. */
    public record Recipient(long id, String email, String name) {}

    private record Subscription(long id, String url, List<String> events) {}

    private Map<String, List<Subscription>> subscriptions(List<Addressed> notices) {
        List<Subscription> all = jdbc.sql("SELECT id, url, events FROM webhook_subscription WHERE deleted_at IS NULL")
                .query((rs, n) -> new Subscription(rs.getLong(1), rs.getString(2), List.of((String[])
                        rs.getArray(3).getArray())))
                .list();
        Map<String, List<Subscription>> byEvent = new LinkedHashMap<>();
        for (Addressed a : notices) {
            String event = a.notice().event();
            byEvent.computeIfAbsent(
                    event,
                    e -> all.stream()
                            .filter(s -> s.events().contains(e) || s.events().contains(WebhookEvents.ALL))
                            .toList());
        }
        return byEvent;
    }
}
