package dev.kindling.email;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.conditions.ConditionJson;
import dev.kindling.email.EmailTemplate.Case;
import dev.kindling.email.EmailTemplate.ContentBlock;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.prospects.CustomField;
import dev.kindling.prospects.Prospects;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stores templates and guards what a template may be: every merge field known and, where the value may be empty,
 * given a fallback; the unsubscribe link in both parts; blocks with valid conditions and a default. A template
 * that fails any check is not stored, and every problem is reported with its path.
 */
@Component
public class EmailTemplates {

    private final AuditLog audit;

    static final int MAX_NAME = 200;
    static final int MAX_SUBJECT = 300;
    static final int MAX_HTML = 512 * 1024;
    static final int MAX_TEXT = 256 * 1024;
    static final int MAX_BLOCKS = 20;
    static final int MAX_CASES = 20;
    private static final Set<String> KEYS = Set.of("name", "subject", "html", "text", "blocks");
    private static final Set<String> READ_ONLY = Set.of("id", "createdAt", "updatedAt");

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Prospects prospects;
    private final Clock clock;

    EmailTemplates(JdbcClient jdbc, JsonMapper json, Prospects prospects, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.json = json;
        this.prospects = prospects;
        this.clock = clock;
    }

    /** A template's content, validated. */
    record Values(String name, String subject, String html, String text, ArrayNode blocks) {}

    public List<EmailTemplate> all() {
        Map<String, CustomField> custom = prospects.customFields();
        return jdbc.sql("SELECT * FROM email_template ORDER BY lower(name)")
                .query((rs, n) -> row(rs, custom))
                .list();
    }

    public Optional<EmailTemplate> find(long id) {
        Map<String, CustomField> custom = prospects.customFields();
        return jdbc.sql("SELECT * FROM email_template WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> row(rs, custom))
                .optional();
    }

    public EmailTemplate get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("No email template " + id));
    }

    EmailTemplate create(Values v) {
        try {
            long id = jdbc.sql("""
                            INSERT INTO email_template (name, subject, html, text_body, blocks, created_at, updated_at)
                            VALUES (:name, :subject, :html, :text, CAST(:blocks AS jsonb), :now, :now) RETURNING id""")
                    .param("name", v.name())
                    .param("subject", v.subject())
                    .param("html", v.html())
                    .param("text", v.text())
                    .param("blocks", json.writeValueAsString(v.blocks()))
                    .param("now", Timestamp.from(clock.instant()))
                    .query(Long.class)
                    .single();
            audit.record(AuditEntry.created("email_template", id, get(id)));
            return get(id);
        } catch (DuplicateKeyException e) {
            throw InvalidInputException.of("name", "is already the name of another template");
        }
    }

    EmailTemplate replace(long id, Values v) {
        EmailTemplate before = get(id);
        try {
            jdbc.sql("""
                            UPDATE email_template SET name = :name, subject = :subject, html = :html, text_body = :text,
                                   blocks = CAST(:blocks AS jsonb), updated_at = :now WHERE id = :id""")
                    .param("id", id)
                    .param("name", v.name())
                    .param("subject", v.subject())
                    .param("html", v.html())
                    .param("text", v.text())
                    .param("blocks", json.writeValueAsString(v.blocks()))
                    .param("now", Timestamp.from(clock.instant()))
                    .update();
        } catch (DuplicateKeyException e) {
            throw InvalidInputException.of("name", "is already the name of another template");
        }
        audit.record(AuditEntry.updated("email_template", id, before, get(id)));
        return get(id);
    }

    void delete(long id) {
        EmailTemplate before = get(id);
        Long sends = jdbc.sql("SELECT count(*) FROM email_send WHERE template_id = :id")
                .param("id", id)
                .query(Long.class)
                .single();
        if (sends > 0) {
            throw new ConflictException("The template was used by " + sends + " send(s); it is kept for their reports");
        }
        jdbc.sql("DELETE FROM email_template WHERE id = :id").param("id", id).update();
        audit.record(AuditEntry.deleted("email_template", id, before));
    }

    /** The whole template validated at once: every problem listed, nothing stored on error. */
    Values validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidInputException.of("body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        body.propertyNames().forEach(key -> {
            if (!KEYS.contains(key) && !READ_ONLY.contains(key)) {
                errors.add(new FieldError(key, "is not a template property (name, subject, html, text, blocks)"));
            }
        });
        String name = text(body, "name", MAX_NAME, errors);
        String subject = text(body, "subject", MAX_SUBJECT, errors);
        String html = text(body, "html", MAX_HTML, errors);
        String text = text(body, "text", MAX_TEXT, errors);
        Map<String, CustomField> custom = prospects.customFields();
        ArrayNode blocks = json.createArrayNode();
        Set<String> blockNames = new LinkedHashSet<>();
        JsonNode rawBlocks = body.get("blocks");
        if (rawBlocks != null && !rawBlocks.isNull()) {
            if (!rawBlocks.isArray()) {
                errors.add(new FieldError("blocks", "must be a list of content blocks"));
            } else if (rawBlocks.size() > MAX_BLOCKS) {
                errors.add(new FieldError("blocks", "must have at most " + MAX_BLOCKS + " blocks"));
            } else {
                for (int i = 0; i < rawBlocks.size(); i++) {
                    ObjectNode block = block(rawBlocks.get(i), "blocks[" + i + "]", custom, blockNames, errors);
                    if (block != null) {
                        blocks.add(block);
                    }
                }
            }
        }
        if (subject != null) {
            if (subject.contains("\n") || subject.contains("\r")) {
                errors.add(new FieldError("subject", "must be one line"));
            }
            for (MergeFields.Tag tag : MergeFields.check(subject, "subject", Set.of(), custom.keySet(), errors)) {
                if (tag.name().equals(MergeFields.UNSUBSCRIBE)) {
                    errors.add(new FieldError("subject", "cannot contain {{unsubscribe_url}}"));
                }
            }
        }
        if (html != null) {
            MergeFields.check(html, "html", blockNames, custom.keySet(), errors);
            if (!MergeFields.mentions(html, MergeFields.UNSUBSCRIBE)) {
                errors.add(new FieldError(
                        "html",
                        "has no unsubscribe link: every marketing email must contain "
                                + "{{unsubscribe_url}}, e.g. <a href=\"{{unsubscribe_url}}\">Unsubscribe</a>"));
            }
        }
        if (text != null) {
            MergeFields.check(text, "text", blockNames, custom.keySet(), errors);
            if (!MergeFields.mentions(text, MergeFields.UNSUBSCRIBE)) {
                errors.add(new FieldError(
                        "text",
                        "has no unsubscribe link: every marketing email must contain "
                                + "{{unsubscribe_url}}, e.g. \"Unsubscribe: {{unsubscribe_url}}\""));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Values(name, subject, html, text, blocks);
    }

    private ObjectNode block(
            JsonNode node, String path, Map<String, CustomField> custom, Set<String> names, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(path, "must be an object {name, cases, defaultHtml, defaultText}"));
            return null;
        }
        node.propertyNames().forEach(key -> {
            if (!Set.of("name", "cases", "defaultHtml", "defaultText").contains(key)) {
                errors.add(new FieldError(
                        path + "." + key, "is not a block property (name, cases, defaultHtml, defaultText)"));
            }
        });
        ObjectNode out = json.createObjectNode();
        JsonNode name = node.get("name");
        if (name == null || !name.isString() || !name.stringValue().matches("[a-z][a-z0-9_]{0,63}")) {
            errors.add(new FieldError(path + ".name", "must be a block name of lower-case letters, digits and _"));
        } else if (!names.add(name.stringValue())) {
            errors.add(new FieldError(path + ".name", "is the name of another block"));
        } else {
            out.put("name", name.stringValue());
        }
        String defaultHtml = text(node, "defaultHtml", MAX_HTML, errors, path + ".");
        String defaultText = text(node, "defaultText", MAX_TEXT, errors, path + ".");
        if (defaultHtml != null) {
            MergeFields.check(defaultHtml, path + ".defaultHtml", null, custom.keySet(), errors);
            out.put("defaultHtml", defaultHtml);
        }
        if (defaultText != null) {
            MergeFields.check(defaultText, path + ".defaultText", null, custom.keySet(), errors);
            out.put("defaultText", defaultText);
        }
        ArrayNode cases = out.putArray("cases");
        JsonNode rawCases = node.get("cases");
        if (rawCases == null || !rawCases.isArray() || rawCases.isEmpty()) {
            errors.add(new FieldError(path + ".cases", "must list at least one case {condition, html, text}"));
        } else if (rawCases.size() > MAX_CASES) {
            errors.add(new FieldError(path + ".cases", "must have at most " + MAX_CASES + " cases"));
        } else {
            for (int i = 0; i < rawCases.size(); i++) {
                String casePath = path + ".cases[" + i + "]";
                JsonNode c = rawCases.get(i);
                if (c == null || !c.isObject()) {
                    errors.add(new FieldError(casePath, "must be an object {condition, html, text}"));
                    continue;
                }
                c.propertyNames().forEach(key -> {
                    if (!Set.of("condition", "html", "text").contains(key)) {
                        errors.add(
                                new FieldError(casePath + "." + key, "is not a case property (condition, html, text)"));
                    }
                });
                JsonNode condition = c.get("condition");
                if (condition == null || condition.isNull()) {
                    errors.add(new FieldError(casePath + ".condition", "is required"));
                } else {
                    try {
                        condition =
                                ConditionJson.write(ConditionJson.parse(condition, custom, casePath + ".condition."));
                    } catch (InvalidInputException e) {
                        errors.addAll(e.errors());
                    }
                }
                String caseHtml = text(c, "html", MAX_HTML, errors, casePath + ".");
                String caseText = text(c, "text", MAX_TEXT, errors, casePath + ".");
                if (caseHtml != null) {
                    MergeFields.check(caseHtml, casePath + ".html", null, custom.keySet(), errors);
                }
                if (caseText != null) {
                    MergeFields.check(caseText, casePath + ".text", null, custom.keySet(), errors);
                }
                ObjectNode outCase = cases.addObject();
                outCase.set("condition", condition);
                outCase.put("html", caseHtml);
                outCase.put("text", caseText);
            }
        }
        return out;
    }

    private static String text(JsonNode body, String key, int max, List<FieldError> errors) {
        return text(body, key, max, errors, "");
    }

    /** A required text; blank is allowed only for block content (a case may show nothing). */
    private static String text(JsonNode body, String key, int max, List<FieldError> errors, String prefix) {
        JsonNode node = body.get(key);
        String path = prefix + key;
        if (node == null || node.isNull()) {
            errors.add(new FieldError(path, "is required"));
            return null;
        }
        if (!node.isString()) {
            errors.add(new FieldError(path, "must be a text"));
            return null;
        }
        String value = node.stringValue();
        if (prefix.isEmpty() && value.isBlank()) {
            errors.add(new FieldError(path, "must not be empty"));
            return null;
        }
        if (value.length() > max) {
            errors.add(new FieldError(path, "must be at most " + max + " characters"));
            return null;
        }
        return key.equals("name") || key.equals("subject") ? value.strip() : value;
    }

    private EmailTemplate row(ResultSet rs, Map<String, CustomField> custom) throws SQLException {
        JsonNode blocksJson = json.readTree(rs.getString("blocks"));
        List<ContentBlock> blocks = new ArrayList<>();
        for (JsonNode b : blocksJson) {
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : b.get("cases")) {
                dev.kindling.engine.condition.Condition condition;
                try {
                    condition = ConditionJson.parse(c.get("condition"), custom, "");
                } catch (InvalidInputException e) {
                    condition = null; // names a custom field deleted since: the case never matches
                }
                cases.add(new Case(
                        condition,
                        c.get("condition"),
                        c.get("html").asString(),
                        c.get("text").asString()));
            }
            blocks.add(new ContentBlock(
                    b.get("name").asString(),
                    List.copyOf(cases),
                    b.get("defaultHtml").asString(),
                    b.get("defaultText").asString()));
        }
        return new EmailTemplate(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("subject"),
                rs.getString("html"),
                rs.getString("text_body"),
                List.copyOf(blocks),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
