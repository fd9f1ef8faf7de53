package dev.kindling.prospects;

import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.JsonValues;
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
        Map<String, Object> raw = JsonValues.object(body, "body");
        List<FieldError> errors = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (!key.equals("loserId") && !key.equals("fields")) {
                errors.add(new FieldError(key, "is not a merge property (loserId, fields)"));
            }
        }
        Object loser = raw.get("loserId");
        if (!(loser instanceof Long l) || l < 1) {
            errors.add(new FieldError("loserId", "must be the id of the prospect to merge into this one"));
        }
        Map<ProspectField, ProspectMerges.Side> sides = new EnumMap<>(ProspectField.class);
        Object fields = raw.get("fields");
        if (fields instanceof Map<?, ?> m) {
            m.forEach((k, v) -> sides(String.valueOf(k), v, "fields.", sides, errors));
        } else if (fields != null) {
            errors.add(new FieldError("fields", "must be an object of field names to \"survivor\" or \"loser\""));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return merges.merge(id, (Long) loser, sides, user.getName());
    }

    /** Reads one field's side ({@code survivor} or {@code loser}) into {@code sides}, or adds the error. */
    static void sides(String field, Object value, String prefix, Map<ProspectField, ProspectMerges.Side> sides,
            List<FieldError> errors) {
        ProspectField f = ProspectField.byJson(field);
        ProspectMerges.Side side = "survivor".equals(value) ? ProspectMerges.Side.SURVIVOR
                : "loser".equals(value) ? ProspectMerges.Side.LOSER : null;
        if (f == null) {
            errors.add(new FieldError(prefix + field, "is not a standard prospect field"));
        } else if (side == null) {
            errors.add(new FieldError(prefix + field, "must be \"survivor\" or \"loser\""));
        } else {
            sides.put(f, side);
        }
    }
}
