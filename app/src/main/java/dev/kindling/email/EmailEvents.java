package dev.kindling.email;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.privacy.Consents;
import dev.kindling.prospects.ProspectRows;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What recipients do with an email, recorded on its message row (for the send report) and as activities through
 * the intake (so scoring, rules and programs see them). Activities carry external ids derived from the message, so
 * the first open, the first click of each link and the unsubscribe are recorded once however often they happen.
 */
@Component
class EmailEvents {

    private final JdbcClient jdbc;
    private final ActivityIntake intake;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Consents consents;

    private final ProspectRows prospectRows;

    EmailEvents(
            JdbcClient jdbc,
            ActivityIntake intake,
            ApplicationEventPublisher events,
            Clock clock,
            Consents consents,
            ProspectRows prospectRows) {
        this.prospectRows = prospectRows;
        this.consents = consents;
        this.jdbc = jdbc;
        this.intake = intake;
        this.events = events;
        this.clock = clock;
    }

    /** The message a token names, as tracking needs it. */
    record Message(long id, long prospectId, Long templateId, Long sendId, String variant, List<String> links) {}

    Optional<Message> message(long id) {
        return jdbc.sql("""
                        SELECT id, prospect_id, template_id, send_id, variant,
                               ARRAY(SELECT jsonb_array_elements_text(links)) AS links
                          FROM email_message WHERE id = :id AND status = 'SENT'""")
                .param("id", id)
                .query((rs, n) -> new Message(
                        rs.getLong("id"),
                        rs.getLong("prospect_id"),
                        (Long) rs.getObject("template_id"),
                        (Long) rs.getObject("send_id"),
                        rs.getString("variant"),
                        List.of((String[]) rs.getArray("links").getArray())))
                .optional();
    }

    @Transactional
    void opened(Message m, String userAgent, boolean bot) {
        Instant now = clock.instant();
        if (!bot) {
            jdbc.sql("UPDATE email_message SET opened_at = :now WHERE id = :id AND opened_at IS NULL")
                    .param("id", m.id())
                    .param("now", Timestamp.from(now))
                    .update();
        }
        intake.accept(List.of(new NewActivity(
                "email-open-" + m.id() + (bot ? "-bot" : ""),
                m.prospectId(),
                null,
                null,
                ActivityType.EMAIL_OPEN,
                null,
                now,
                null,
                properties(m, userAgent, null),
                bot)));
    }

    @Transactional
    void clicked(Message m, int link, String userAgent, boolean bot) {
        Instant now = clock.instant();
        if (!bot) {
            // a click proves the email was opened, even when the client blocked the pixel
            jdbc.sql("""
                            UPDATE email_message SET clicked_at = coalesce(clicked_at, :now),
                                   opened_at = coalesce(opened_at, :now) WHERE id = :id""").param("id", m.id()).param("now", Timestamp.from(now)).update();
        }
        intake.accept(List.of(new NewActivity(
                "email-click-" + m.id() + "-" + link + (bot ? "-bot" : ""),
                m.prospectId(),
                null,
                null,
                ActivityType.EMAIL_CLICK,
                null,
                now,
                null,
                properties(m, userAgent, m.links().get(link)),
                bot)));
    }

    /** Opts the prospect out of marketing email; true when this changed anything. */
    @Transactional
    boolean unsubscribed(Message m, String how) {
        Instant now = clock.instant();
        jdbc.sql("UPDATE email_message SET unsubscribed_at = coalesce(unsubscribed_at, :now) WHERE id = :id")
                .param("id", m.id())
                .param("now", Timestamp.from(now))
                .update();
        boolean changed = prospectRows.optOut(m.prospectId(), now);
        Map<String, String> properties = properties(m, null, null);
        properties.put("method", how);
        intake.accept(List.of(new NewActivity(
                "email-unsubscribe-" + m.id(),
                m.prospectId(),
                null,
                null,
                ActivityType.UNSUBSCRIBE,
                null,
                now,
                null,
                properties,
                false)));
        if (changed) {
            consents.record(
                    m.prospectId(),
                    Consents.Purpose.EMAIL_MARKETING,
                    false,
                    "unsubscribe:" + how,
                    "Unsubscribed from marketing email");
            events.publishEvent(new ProspectsUnsubscribed(Set.of(m.prospectId())));
        }
        return changed;
    }

    private static Map<String, String> properties(Message m, String userAgent, String url) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (m.templateId() != null) {
            properties.put("emailId", Long.toString(m.templateId()));
        }
        properties.put("messageId", Long.toString(m.id()));
        if (m.sendId() != null) {
            properties.put("sendId", Long.toString(m.sendId()));
        }
        if (m.variant() != null) {
            properties.put("variant", m.variant());
        }
        if (url != null) {
            properties.put("url", url);
        }
        if (userAgent != null && !userAgent.isBlank()) {
            properties.put("userAgent", userAgent.substring(0, Math.min(userAgent.length(), 1000)));
        }
        return properties;
    }
}
