package dev.kindling.prospects;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import io.swagger.v3.oas.annotations.media.Schema;
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
    ProspectView merge(@PathVariable long id, @RequestBody ProspectMergeRequest body, Principal user) {
        return merges.merge(id, body.loserId(), body.sides(new ArrayList<>()), user.getName());
    }

    /** The prospect to merge into this one, and for each field that differs the side whose value is kept. */
    record ProspectMergeRequest(
            Long loserId,

            @Schema(description = "field name to \"survivor\" or \"loser\"")
            Map<String, String> fields) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            if (loserId == null || loserId < 1) {
                errors.add(new FieldError("loserId", "must be the id of the prospect to merge into this one"));
            }
            sides(errors);
        }

        Map<ProspectField, ProspectMerges.Side> sides(List<FieldError> errors) {
            Map<ProspectField, ProspectMerges.Side> sides = new EnumMap<>(ProspectField.class);
            if (fields != null) {
                fields.forEach((field, value) -> side(field, value, "fields.", sides, errors));
            }
            return sides;
        }
    }

    /** Reads one field's side ({@code survivor} or {@code loser}) into {@code sides}, or adds the error. */
    static void side(
            String field,
            String value,
            String prefix,
            Map<ProspectField, ProspectMerges.Side> sides,
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
