package dev.kindling.prospects;

import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/prospects/{survivorId}/merge} with {@code {"loserId": …, "fields": {"firstName": "loser"}}}:
 * merges the loser into the survivor (ADMIN and MARKETING) and answers the survivor. Fields not named take the most
 * recent non-blank value.
 */
@RestController
@RequestMapping(path = "/api/v1/prospects/{id}/merge", produces = "application/json")
class ProspectMergeController {

    private final ProspectMerges merges;

    ProspectMergeController(ProspectMerges merges) {
        this.merges = merges;
    }

    @PostMapping(consumes = "application/json")
    ProspectView merge(@PathVariable long id, @RequestBody JsonNode body, Principal user) {
        // read from the tree itself: any JSON number (1e309 too) is only ever tested, never converted
        if (body == null || !body.isObject()) {
            throw InvalidInputException.of("body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        for (String key : body.propertyNames()) {
            if (!key.equals("loserId") && !key.equals("fields")) {
                errors.add(new FieldError(key, "is not a merge property (loserId, fields)"));
            }
        }
        JsonNode loser = body.get("loserId");
        if (loser == null || !loser.isIntegralNumber() || !loser.canConvertToLong() || loser.asLong() < 1) {
            errors.add(new FieldError("loserId", "must be the id of the prospect to merge into this one"));
        }
        Map<ProspectField, ProspectMerges.Side> sides = new EnumMap<>(ProspectField.class);
        JsonNode fields = body.get("fields");
        if (fields != null && fields.isObject()) {
            fields.properties().forEach(e -> side(e.getKey(), e.getValue().isString() ? e.getValue().asString() : null,
                    "fields.", sides, errors));
        } else if (fields != null && !fields.isNull()) {
            errors.add(new FieldError("fields", "must be an object of field names to \"survivor\" or \"loser\""));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return merges.merge(id, loser.asLong(), sides, user.getName());
    }

    /** Reads one field's side ({@code survivor} or {@code loser}) into {@code sides}, or adds the error. */
    static void side(String field, String value, String prefix, Map<ProspectField, ProspectMerges.Side> sides,
            List<FieldError> errors) {
        ProspectField f = ProspectField.byJson(field);
        ProspectMerges.Side side = ProspectMerges.Side.parse(value);
        if (f == null) {
            errors.add(new FieldError(prefix + field, "is not a standard prospect field"));
        } else if (side == null) {
            errors.add(new FieldError(prefix + field, "must be \"survivor\" or \"loser\""));
        } else {
            sides.put(f, side);
        }
    }
}
