package dev.kindling.prospects;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Custom prospect field definitions. A name is permanent once values may refer to it. */
@RestController
@RequestMapping(path = "/api/v1/custom-fields", produces = "application/json")
class CustomFieldController {

    private final AuditLog audit;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,49}");
    private static final Set<String> RESERVED = Set.of(
            "custom",
            "id",
            "score",
            "grade",
            "stage",
            "owner",
            "ownerId",
            "accountId",
            "campaignId",
            "createdAt",
            "updatedAt",
            "capturedAt",
            "lastActivityAt");

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
    ResponseEntity<CustomField> create(@RequestBody CustomFieldRequest body) {
        String name = body.name();
        String label = body.label() == null ? name : body.label().strip();
        CustomFieldType type = CustomFieldType.valueOf(body.type());
        List<String> options = body.options() == null
                ? List.of()
                : body.options().stream().map(String::strip).toList();
        if (prospects.customFields().containsKey(name)) {
            throw new ConflictException("A custom field named " + name + " exists");
        }
        jdbc.sql(
                        "INSERT INTO custom_field (name, label, type, options, created_at) VALUES (:name, :label, :type, :options, :now)")
                .param("name", name)
                .param("label", label)
                .param("type", type.name())
                .param("options", options.toArray(String[]::new))
                .param("now", Timestamp.from(clock.instant()))
                .update();
        CustomField created = prospects.customFields().get(name);
        audit.record(AuditEntry.created("custom_field", created.id(), created));
        return ResponseEntity.created(URI.create("/api/v1/custom-fields/" + created.id()))
                .body(created);
    }

    /** A custom field: its name in JSON, a label, its type and (for a picklist) the options. */
    record CustomFieldRequest(
            String name,
            String label,

            @Schema(allowableValues = {"TEXT", "NUMBER", "DATE", "BOOLEAN", "PICKLIST"})
            String type,

            List<String> options)
            implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            if (name == null || !NAME.matcher(name).matches()) {
                errors.add(new FieldError("name", "must start with a letter and have at most 50 letters, digits or _"));
            } else if (ProspectField.byJson(name) != null || RESERVED.contains(name)) {
                errors.add(new FieldError("name", "is a standard field name"));
            }
            String shown = label == null ? name : label.strip();
            if (shown == null || shown.isEmpty() || shown.length() > 100) {
                errors.add(new FieldError("label", "must be 1 to 100 characters"));
            }
            CustomFieldType kind = null;
            for (CustomFieldType candidate : CustomFieldType.values()) {
                if (candidate.name().equals(type)) {
                    kind = candidate;
                }
            }
            if (kind == null) {
                errors.add(new FieldError("type", "must be one of TEXT, NUMBER, DATE, BOOLEAN, PICKLIST"));
            }
            List<String> given = options == null ? List.of() : options;
            if (given.stream().anyMatch(o -> o == null || o.isBlank() || o.length() > 100)) {
                errors.add(new FieldError("options", "must be non-empty strings of at most 100 characters"));
            } else if (kind == CustomFieldType.PICKLIST && (given.isEmpty() || given.size() > 200)) {
                errors.add(new FieldError("options", "a picklist needs 1 to 200 options"));
            } else if (kind != null && kind != CustomFieldType.PICKLIST && !given.isEmpty()) {
                errors.add(new FieldError("options", "only a picklist has options"));
            }
        }
    }
}
