package dev.kindling.automation;

import dev.kindling.engine.automation.Action;
import dev.kindling.notifications.WebhookOutbox;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The webhook action: one call per prospect through the {@link WebhookOutbox} (queued in the writing transaction,
 * made after commit with retries, signed with the rule signing secret), body
 * {@code {id, event: "rule.webhook", source, rule: {id, name}, prospect: {...}, at}}. Two statements whatever the
 * number of prospects.
 */
@Component
class CallWebhookExecutor implements ActionExecutor<Action.CallWebhook> {

    static final String EVENT = "rule.webhook";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final WebhookOutbox outbox;
    private final JsonMapper json;

    CallWebhookExecutor(JdbcClient jdbc, Clock clock, WebhookOutbox outbox, JsonMapper json) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.outbox = outbox;
        this.json = json;
    }

    @Override
    public Class<Action.CallWebhook> kind() {
        return Action.CallWebhook.class;
    }

    @Override
    public void execute(Action.CallWebhook action, List<Long> ids, ActionSource source) {
        String at = clock.instant().toString();
        List<String> prospects = jdbc.sql("""
                        SELECT jsonb_build_object('id', p.id, 'email', p.email, 'firstName', p.first_name,
                                   'lastName', p.last_name, 'company', p.company, 'score', p.score, 'grade', p.grade,
                                   'stage', p.stage, 'doNotEmail', p.do_not_email)::text
                          FROM prospect p WHERE p.id = ANY(:ids)
                         ORDER BY p.id""")
                .param("ids", ids.toArray(Long[]::new))
                .query(String.class)
                .list();
        List<WebhookOutbox.WebhookCall> calls = new ArrayList<>();
        for (String prospect : prospects) {
            UUID delivery = UUID.randomUUID();
            ObjectNode body = json.createObjectNode();
            body.put("id", delivery.toString());
            body.put("event", EVENT);
            body.put("source", source.cause());
            if (source.ruleId() == null) {
                body.putNull("rule");
            } else {
                body.putObject("rule").put("id", source.ruleId()).put("name", source.name());
            }
            body.set("prospect", json.readTree(prospect));
            body.put("at", at);
            calls.add(new WebhookOutbox.WebhookCall(
                    delivery, action.url(), null, EVENT, json.writeValueAsString(body), source.cause(), null));
        }
        outbox.enqueue(calls);
    }
}
