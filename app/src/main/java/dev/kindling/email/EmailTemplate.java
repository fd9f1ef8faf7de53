package dev.kindling.email;

import dev.kindling.engine.condition.Condition;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A marketing email template: subject, HTML and plain-text parts with merge fields, and the dynamic content blocks
 * the parts place with {@code {{block:name}}}.
 */
public record EmailTemplate(
        long id,
        String name,
        String subject,
        String html,
        String text,
        List<ContentBlock> blocks,
        Instant createdAt,
        Instant updatedAt) {

    /** A dynamic content block: the first case whose condition the prospect meets, else the default content. */
    public record ContentBlock(String name, List<Case> cases, String defaultHtml, String defaultText) {}

    /** One case of a block; {@code conditionJson} is the condition as written (docs/conditions.md). */
    public record Case(Condition condition, JsonNode conditionJson, String html, String text) {}
}
