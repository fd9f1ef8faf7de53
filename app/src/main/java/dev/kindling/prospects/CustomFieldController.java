package dev.kindling.prospects;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;

import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.JsonValues;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Custom prospect field definitions. A name is permanent once values may refer to it. */
@RestController
@RequestMapping(path = "/api/v1/custom-fields", produces = "application/json")
class CustomFieldController {

    private final AuditLog audit;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,49}");
    private static final Set<String> FIELDS = Set.of("name", "label", "type", "options");
    private static final Set<String> RESERVED = Set.of("custom", "id", "score", "grade", "stage", "owner", "ownerId",
            "accountId", "campaignId", "createdAt", "updatedAt", "capturedAt", "lastActivityAt");

    private final Prospects prospects;
    private final JdbcClient jdbc;
    private final Clock clock;

    CustomFieldController(Prospects prospects, JdbcClient jdbc, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.prospects = prospects;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @GetMapping
    Collection<CustomField> list() {
        return prospects.customFields().values();
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<CustomField> create(@RequestBody JsonNode body) {
        Map<String, Object> raw = JsonValues.object(body, "body");
        List<FieldError> errors = new ArrayList<>();
        raw.keySet().stream().filter(k -> !FIELDS.contains(k))
                .forEach(k -> errors.add(new FieldError(k, "is not a known field")));
        String name = raw.get("name") instanceof String s ? s : null;
        if (name == null || !NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "must start with a letter and have at most 50 letters, digits or _"));
        } else if (ProspectField.byJson(name) != null || RESERVED.contains(name)) {
            errors.add(new FieldError("name", "is a standard field name"));
        }
        String label = raw.get("label") == null ? name : raw.get("label") instanceof String s ? s.strip() : "";
        if (label == null || label.isEmpty() || label.length() > 100) {
            errors.add(new FieldError("label", "must be 1 to 100 characters"));
        }
        CustomFieldType type = null;
        if (raw.get("type") instanceof String t) {
            for (CustomFieldType candidate : CustomFieldType.values()) {
                if (candidate.name().equals(t)) {
                    type = candidate;
                }
            }
        }
        if (type == null) {
            errors.add(new FieldError("type", "must be one of TEXT, NUMBER, DATE, BOOLEAN, PICKLIST"));
        }
        List<String> options = new ArrayList<>();
        if (raw.get("options") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s && !s.isBlank() && s.length() <= 100) {
                    options.add(s.strip());
                } else {
                    errors.add(new FieldError("options", "must be non-empty strings of at most 100 characters"));
                    break;
                }
            }
        } else if (raw.get("options") != null) {
            errors.add(new FieldError("options", "must be a list"));
        }
        if (type == CustomFieldType.PICKLIST && (options.isEmpty() || options.size() > 200)) {
            errors.add(new FieldError("options", "a picklist needs 1 to 200 options"));
        } else if (type != null && type != CustomFieldType.PICKLIST && !options.isEmpty()) {
            errors.add(new FieldError("options", "only a picklist has options"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (prospects.customFields().containsKey(name)) {
            throw new ConflictException("A custom field named " + name + " exists");
        }
        jdbc.sql("INSERT INTO custom_field (name, label, type, options, created_at) VALUES (:name, :label, :type, :options, :now)")
                .param("name", name).param("label", label).param("type", type.name())
                .param("options", options.toArray(String[]::new))
                .param("now", Timestamp.from(clock.instant()))
                .update();
        CustomField created = prospects.customFields().get(name);
        audit.record(AuditEntry.created("custom_field", created.id(), created));
        return ResponseEntity.created(URI.create("/api/v1/custom-fields/" + created.id())).body(created);
    }
}
