package dev.kindling.prospects;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, changes and deletes custom field definitions; the API ({@link CustomFieldController}) and the custom
 * fields page ({@link CustomFieldPages}) both go through here. A field's name and type are permanent; its label can
 * change, and a picklist can gain options but never lose one (prospects may hold it). A field is deleted only while
 * nothing can refer to it: no prospect holds a value for it and no saved configuration names it.
 */
@Component
class CustomFields {

    /**
     * The saved configuration that may name a custom field, as JSON or text: conditions and actions
     * ({@code custom.<name>}), email merge fields ({@code custom.<name>}), form and import mappings (the bare name).
     * Read here only to refuse a delete that would break them. (Grading's conditions never name custom fields.)
     */
    private static final List<String> CONFIGURATION = List.of(
            "SELECT condition::text || actions::text FROM automation_rule",
            "SELECT coalesce(condition::text, '') FROM list",
            "SELECT definition::text FROM program_version",
            "SELECT field_mapping::text || layout::text || completion_actions::text FROM form",
            "SELECT completion_actions::text FROM tracked_link",
            "SELECT to_jsonb(t)::text FROM email_template t",
            "SELECT mapping::text FROM import_mapping");

    private final Prospects prospects;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditLog audit;

    CustomFields(Prospects prospects, JdbcClient jdbc, Clock clock, AuditLog audit) {
        this.prospects = prospects;
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
    }

    /** Creates a field from a request already checked ({@link CustomFieldController.CustomFieldRequest#check}). */
    CustomField create(CustomFieldController.CustomFieldRequest body) {
        List<FieldError> errors = new ArrayList<>();
        body.check(errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String name = body.name();
        String label = body.label() == null ? name : body.label().strip();
        List<String> options = body.options() == null
                ? List.of()
                : body.options().stream().map(String::strip).toList();
        if (prospects.customFields().containsKey(name)) {
            throw new ConflictException("A custom field named " + name + " exists");
        }
        jdbc.sql("""
                        INSERT INTO custom_field (name, label, type, options, created_at)
                        VALUES (:name, :label, :type, :options, :now)""")
                .param("name", name)
                .param("label", label)
                .param("type", body.type())
                .param("options", options.toArray(String[]::new))
                .param("now", Timestamp.from(clock.instant()))
                .update();
        CustomField created = prospects.customFields().get(name);
        audit.record(AuditEntry.created("custom_field", created.id(), created));
        return created;
    }

    /**
     * Changes the label and, for a picklist, the options: {@code options} null keeps them; given, it must keep every
     * current option (new ones are added in the order given).
     */
    @Transactional
    CustomField update(long id, String label, List<String> options) {
        CustomField before = get(id);
        List<FieldError> errors = new ArrayList<>();
        String shown = label == null ? before.label() : label.strip();
        if (shown.isEmpty() || shown.length() > 100) {
            errors.add(new FieldError("label", "must be 1 to 100 characters"));
        }
        List<String> kept = before.options();
        if (options != null) {
            List<String> given = options.stream()
                    .map(o -> o == null ? "" : o.strip())
                    .distinct()
                    .toList();
            if (before.type() != CustomFieldType.PICKLIST) {
                if (!given.isEmpty()) {
                    errors.add(new FieldError("options", "only a picklist has options"));
                }
            } else if (given.stream().anyMatch(o -> o.isEmpty() || o.length() > 100)) {
                errors.add(new FieldError("options", "must be non-empty strings of at most 100 characters"));
            } else if (!given.containsAll(before.options())) {
                errors.add(new FieldError(
                        "options",
                        "must keep every current option (prospects may hold them): "
                                + String.join(", ", before.options())));
            } else if (given.size() > 200) {
                errors.add(new FieldError("options", "a picklist needs 1 to 200 options"));
            } else {
                kept = given;
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        jdbc.sql("UPDATE custom_field SET label = :label, options = :options WHERE id = :id")
                .param("label", shown)
                .param("options", kept.toArray(String[]::new))
                .param("id", id)
                .update();
        CustomField after = get(id);
        audit.record(AuditEntry.updated("custom_field", id, before, after));
        return after;
    }

    /** Deletes the field; 409 while a prospect holds a value for it or saved configuration names it. */
    @Transactional
    void delete(long id) {
        CustomField field = get(id);
        String inUse = inUse(field.name());
        if (inUse != null) {
            throw new ConflictException("The custom field " + field.name() + " cannot be deleted: " + inUse);
        }
        jdbc.sql("DELETE FROM custom_field WHERE id = :id").param("id", id).update();
        audit.record(AuditEntry.deleted("custom_field", id, field));
    }

    /** Why the field may not be deleted, or null when nothing refers to it. */
    String inUse(String name) {
        boolean held = jdbc.sql("SELECT EXISTS (SELECT 1 FROM prospect WHERE jsonb_exists(custom, :name))")
                .param("name", name)
                .query(Boolean.class)
                .single();
        if (held) {
            return "prospects hold values for it";
        }
        String like = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        String named = String.join(" UNION ALL ", CONFIGURATION);
        boolean configured = jdbc.sql("SELECT EXISTS (SELECT 1 FROM (" + named + ") c(text)"
                        + " WHERE c.text LIKE :prefixed OR c.text LIKE :quoted)")
                .param("prefixed", "%custom." + like + "%")
                .param("quoted", "%\"" + like + "\"%")
                .query(Boolean.class)
                .single();
        return configured
                ? "a rule, list, program, grading profile, form, link, email or import mapping names it"
                : null;
    }

    CustomField get(long id) {
        return prospects.customFields().values().stream()
                .filter(f -> f.id() == id)
                .findFirst()
                .orElseThrow(() -> new NotFoundException("No custom field " + id));
    }

    Map<String, CustomField> all() {
        return prospects.customFields();
    }
}
