package dev.kindling.email;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ProspectRows;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Bounces reported by the mail server or provider. A hard bounce makes the prospect undeliverable
 * ({@code hard_bounced}) at once; soft bounces do after {@value #SOFT_LIMIT}. Each bounce is kept, marks the
 * message it belongs to (the {@code X-Kindling-Message} header the provider echoes back, else the prospect's latest
 * sent message) and is recorded as an EMAIL_BOUNCE_HARD / EMAIL_BOUNCE_SOFT activity.
 */
@Component
class Bounces {

    static final int SOFT_LIMIT = 5;

    private final JdbcClient jdbc;
    private final ActivityIntake intake;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    private final ProspectRows prospectRows;

    Bounces(
            JdbcClient jdbc,
            ActivityIntake intake,
            ApplicationEventPublisher events,
            Clock clock,
            ProspectRows prospectRows) {
        this.prospectRows = prospectRows;
        this.jdbc = jdbc;
        this.intake = intake;
        this.events = events;
        this.clock = clock;
    }

    /** A validated bounce. */
    record Bounce(String email, String type, String reason, Long messageId) {}

    /** The result: the prospect (null when the address is unknown), and whether it is now undeliverable. */
    record Result(Long prospectId, boolean undeliverable, int softBounces) {}

    static Bounce validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidInputException.of("body", "must be a JSON object {email, type, reason}");
        }
        List<FieldError> errors = new ArrayList<>();
        body.propertyNames().forEach(k -> {
            if (!Set.of("email", "type", "reason", "messageId").contains(k)) {
                errors.add(new FieldError(k, "is not a bounce property (email, type, reason, messageId)"));
            }
        });
        JsonNode email = body.get("email");
        if (email == null
                || !email.isString()
                || !email.stringValue().contains("@")
                || email.stringValue().length() > 320) {
            errors.add(new FieldError("email", "must be an email address"));
        }
        JsonNode type = body.get("type");
        if (type == null || !type.isString() || !Set.of("HARD", "SOFT").contains(type.stringValue())) {
            errors.add(new FieldError("type", "must be HARD or SOFT"));
        }
        JsonNode reason = body.get("reason");
        if (reason != null
                && !reason.isNull()
                && (!reason.isString() || reason.stringValue().length() > 1000)) {
            errors.add(new FieldError("reason", "must be a text of at most 1000 characters"));
        }
        JsonNode messageId = body.get("messageId");
        if (messageId != null
                && !messageId.isNull()
                && !(messageId.isIntegralNumber() && messageId.canConvertToLong())) {
            errors.add(new FieldError("messageId", "must be the number of the X-Kindling-Message header"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Bounce(
                email.stringValue().strip().toLowerCase(Locale.ROOT),
                type.stringValue(),
                reason == null || reason.isNull() ? null : reason.stringValue(),
                messageId == null || messageId.isNull() ? null : messageId.asLong());
    }

    @Transactional
    Result record(Bounce bounce) {
        Instant now = clock.instant();
        Long prospectId = jdbc.sql("SELECT id FROM prospect WHERE email = :email FOR NO KEY UPDATE")
                .param("email", bounce.email())
                .query(Long.class)
                .optional()
                .orElse(null);
        if (prospectId == null) {
            return new Result(null, false, 0);
        }
        Long messageId = jdbc.sql("""
                        SELECT id FROM email_message
                         WHERE prospect_id = :p AND status = 'SENT' AND (CAST(:m AS bigint) IS NULL OR id = :m)
                         ORDER BY id DESC LIMIT 1""")
                .param("p", prospectId)
                .param("m", bounce.messageId())
                .query(Long.class)
                .optional()
                .orElse(null);
        if (messageId != null) {
            jdbc.sql("UPDATE email_message SET bounced_at = coalesce(bounced_at, :now) WHERE id = :id")
                    .param("id", messageId)
                    .param("now", Timestamp.from(now))
                    .update();
        }
        jdbc.sql("INSERT INTO email_bounce (prospect_id, message_id, type, reason, at) VALUES (:p, :m, :t, :r, :now)")
                .param("p", prospectId)
                .param("m", messageId)
                .param("t", bounce.type())
                .param("r", bounce.reason())
                .param("now", Timestamp.from(now))
                .update();
        int soft = jdbc.sql("SELECT count(*) FROM email_bounce WHERE prospect_id = :p AND type = 'SOFT'")
                .param("p", prospectId)
                .query(Integer.class)
                .single();
        boolean undeliverable = "HARD".equals(bounce.type()) || soft >= SOFT_LIMIT;
        if (undeliverable) {
            if (prospectRows.markHardBounced(prospectId, now)) {
                events.publishEvent(new ProspectsHardBounced(Set.of(prospectId)));
            }
        }
        Map<String, String> properties = new LinkedHashMap<>();
        if (bounce.reason() != null) {
            properties.put("reason", bounce.reason());
        }
        if (messageId != null) {
            properties.put("messageId", Long.toString(messageId));
        }
        intake.accept(List.of(new NewActivity(
                "email-bounce-" + UUID.randomUUID(),
                prospectId,
                null,
                null,
                "HARD".equals(bounce.type()) ? ActivityType.EMAIL_BOUNCE_HARD : ActivityType.EMAIL_BOUNCE_SOFT,
                null,
                now,
                null,
                properties,
                false)));
        return new Result(prospectId, undeliverable, soft);
    }
}
