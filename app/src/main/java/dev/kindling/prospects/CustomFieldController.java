package dev.kindling.prospects;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Custom prospect field definitions ({@link CustomFields}): name and type are permanent, a field nothing refers to may be deleted. */
@RestController
@RequestMapping(path = "/api/v1/custom-fields", produces = "application/json")
class CustomFieldController {

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

    private final CustomFields fields;

    CustomFieldController(CustomFields fields) {
        this.fields = fields;
    }

    @GetMapping
    Collection<CustomField> list() {
        return fields.all().values();
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<CustomField> create(@RequestBody CustomFieldRequest body) {
        CustomField created = fields.create(body);
        return ResponseEntity.created(URI.create("/api/v1/custom-fields/" + created.id()))
                .body(created);
    }

    /** Changes the label and (a picklist) the options; name and type are permanent. */
    @PatchMapping(path = "/{id}", consumes = "application/json")
    CustomField update(@PathVariable long id, @RequestBody CustomFieldChange body) {
        return fields.update(id, body.label(), body.options());
    }

    /** Deletes a field nothing refers to; 409 while prospects hold values for it or configuration names it. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        fields.delete(id);
        return ResponseEntity.noContent().build();
    }

    /** A change of a custom field: a new label, and for a picklist the options (every current one kept). */
    record CustomFieldChange(String label, List<String> options) implements ApiRequest {}

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
