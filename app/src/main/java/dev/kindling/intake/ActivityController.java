package dev.kindling.intake;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.RequestValidators;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The activity API: batch ingest, and a prospect's activities. */
@RestController
class ActivityController implements RequestValidators {

    private static final Pattern ITEM_INDEX = Pattern.compile("^activities\\[(\\d+)]");

    private final ActivityIntake intake;
    private final ActivityTimeline timeline;
    private final Clock clock;

    ActivityController(ActivityIntake intake, ActivityTimeline timeline, Clock clock) {
        this.intake = intake;
        this.timeline = timeline;
        this.clock = clock;
    }

    /**
     * Accepts the whole batch (202) or none of it (400 listing every invalid item). Resent
     * activities (same externalId) are counted as duplicates and change nothing. Opportunity activities from a
     * caller without a sales or admin role refuse the whole batch with 403 ({@link SalesActivities}).
     */
    @PostMapping(path = "/api/v1/activities", consumes = "application/json")
    ResponseEntity<ActivityIntake.Accepted> ingest(@RequestBody ActivitiesRequest body, Authentication who) {
        ActivityValidator.Result result = ActivityValidator.validate(body.givenTree(), clock);
        SalesActivities.check(result.items().values(), who);
        List<FieldError> errors = new ArrayList<>(result.errors());
        if (!result.items().isEmpty()) {
            errors.addAll(intake.referenceErrors(result.items()));
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt(ActivityController::itemIndex));
            throw new InvalidInputException(errors);
        }
        ActivityIntake.Accepted accepted =
                intake.accept(List.copyOf(result.items().values()));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(accepted);
    }

    @GetMapping(path = "/api/v1/prospects/{id}/activities", produces = "application/json")
    ActivityTimeline.Page ofProspect(
            @PathVariable long id,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > 500) {
            throw InvalidInputException.of("limit", "must be between 1 and 500");
        }
        return timeline.of(id, limit, cursor);
    }

    /**
     * A batch of activities, accepted whole or not at all. The items are read by {@link ActivityValidator}, which lists
     * every problem of every item in item order, together with the references (prospects, campaigns) that do not exist.
     */
    record ActivitiesRequest(
            @ArraySchema(schema = @Schema(implementation = ActivityRequest.class))
            List<JsonNode> activities) implements ApiRequest {}

    /** One activity: an idempotency key, exactly one subject (prospectId, email or visitorId), what and when. */
    record ActivityRequest(
            String externalId,
            Long prospectId,
            String email,
            String visitorId,
            String type,
            String customName,
            @Schema(format = "date-time") String occurredAt,
            Long campaignId,

            @Schema(type = "object", description = "text properties by name")
            JsonNode properties)
            implements ApiRequest {}

    /** Errors of the batch as a whole first, then by item, so a client reads them in its own order. */
    private static int itemIndex(FieldError error) {
        Matcher m = ITEM_INDEX.matcher(error.field());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** A body whose top level does not bind (an unknown field, say) still lists what the validator finds. */
    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(RequestValidators.rule(
                ActivitiesRequest.class,
                (r, errors) -> errors.addAll(
                        ActivityValidator.validate(r.givenTree(), clock).errors())));
    }
}
