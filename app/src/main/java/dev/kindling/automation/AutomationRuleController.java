package dev.kindling.automation;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.RequestValidators;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/automation-rules}: rules (created PAUSED), preview, resume (retroactive), pause, match history.
 * Writes are for ADMIN and MARKETING (the API's default rule).
 */
@RestController
@RequestMapping(path = "/api/v1/automation-rules", produces = "application/json")
class AutomationRuleController implements RequestValidators {

    static final int MAX_PAGE = 200;

    private final AutomationRules rules;
    private final RuleRuns runs;

    AutomationRuleController(AutomationRules rules, RuleRuns runs) {
        this.rules = rules;
        this.runs = runs;
    }

    @GetMapping
    List<AutomationRules.RuleView> list() {
        return rules.list();
    }

    @GetMapping("/{id}")
    AutomationRules.RuleView get(@PathVariable long id) {
        return rules.view(id);
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<AutomationRules.RuleView> create(@RequestBody AutomationRuleRequest body) {
        AutomationRules.RuleView created = rules.create(body.givenTree());
        return ResponseEntity.created(URI.create("/api/v1/automation-rules/" + created.id()))
                .body(created);
    }

    /** Replaces name, condition, actions and repeat; the status stays (resume and pause change it). */
    @PutMapping(path = "/{id}", consumes = "application/json")
    AutomationRules.RuleView update(@PathVariable long id, @RequestBody AutomationRuleRequest body) {
        return rules.update(id, body.givenTree());
    }

    /**
     * A rule: when the condition starts to hold for a prospect, the actions run, once or repeatedly. The condition and
     * the actions are in the JSON forms published as JSON Schema (docs/schemas/).
     */
    record AutomationRuleRequest(
            String name,
            @Schema(ref = "#/components/schemas/Condition") JsonNode condition,

            @ArraySchema(schema = @Schema(ref = "#/components/schemas/Action"))
            JsonNode actions,

            @Schema(
                    implementation = RuleRepeat.class,
                    nullable = true,
                    description = "null or false: match once; else repeat after the days, at most maxMatches times")
            JsonNode repeat)
            implements ApiRequest {

        /** The repeat setting, as documented. */
        record RuleRepeat(Long daysBeforeEligible, Long maxMatches) {}
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        rules.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/preview")
    RuleRuns.Preview preview(@PathVariable long id) {
        return runs.preview(id);
    }

    @PostMapping("/{id}/resume")
    RuleRuns.Resumed resume(@PathVariable long id) {
        return runs.resume(id);
    }

    @PostMapping("/{id}/pause")
    AutomationRules.RuleView pause(@PathVariable long id) {
        runs.pause(id);
        return rules.view(id);
    }

    @GetMapping("/{id}/matches")
    RuleRuns.Matches matches(
            @PathVariable long id,
            @RequestParam(required = false) Long before,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw InvalidInputException.of("limit", "must be from 1 to " + MAX_PAGE);
        }
        return runs.matches(id, before, limit);
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(RequestValidators.rule(
                AutomationRuleRequest.class,
                (r, errors) -> ApiRequest.collect(errors, () -> rules.validate(r.givenTree()))));
    }
}
