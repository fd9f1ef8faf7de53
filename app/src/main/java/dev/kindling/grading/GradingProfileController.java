package dev.kindling.grading;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.RequestValidators;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Grading profiles ({@code /api/v1/grading-profiles}) and the ordered assignment rules
 * ({@code /api/v1/grading-assignment-rules}). Saving a profile re-grades every prospect on it;
 * saving the rules re-grades every prospect (any of them may move to another profile).
 */
@RestController
class GradingProfileController implements RequestValidators {

    private final GradingProfiles profiles;
    private final GradingChanges changes;
    private final ProfileInput input;
    private final ConditionCodec conditions;

    GradingProfileController(
            GradingProfiles profiles, GradingChanges changes, ProfileInput input, ConditionCodec conditions) {
        this.profiles = profiles;
        this.changes = changes;
        this.input = input;
        this.conditions = conditions;
    }

    @GetMapping(path = "/api/v1/grading-profiles", produces = "application/json")
    List<GradingViews.ProfileView> list() {
        return profiles.list().stream()
                .map(p -> GradingViews.ProfileView.of(p, null, conditions))
                .toList();
    }

    @GetMapping(path = "/api/v1/grading-profiles/{id}", produces = "application/json")
    GradingViews.ProfileView get(@PathVariable long id) {
        return GradingViews.ProfileView.of(profiles.get(id), null, conditions);
    }

    @PostMapping(path = "/api/v1/grading-profiles", consumes = "application/json", produces = "application/json")
    ResponseEntity<GradingViews.ProfileView> create(@RequestBody GradingProfileRequest body) {
        long id = changes.create(input.profile(body.givenTree()));
        return ResponseEntity.created(URI.create("/api/v1/grading-profiles/" + id))
                .body(GradingViews.ProfileView.of(profiles.get(id), null, conditions));
    }

    @PutMapping(path = "/api/v1/grading-profiles/{id}", consumes = "application/json", produces = "application/json")
    GradingViews.ProfileView replace(@PathVariable long id, @RequestBody GradingProfileRequest body) {
        profiles.get(id);
        Grader.Regraded regraded = changes.replace(id, input.profile(body.givenTree()));
        return GradingViews.ProfileView.of(profiles.get(id), regraded, conditions);
    }

    @DeleteMapping("/api/v1/grading-profiles/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        changes.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/api/v1/grading-assignment-rules", produces = "application/json")
    GradingViews.RulesView rules() {
        return new GradingViews.RulesView(ruleViews(), null);
    }

    @PutMapping(path = "/api/v1/grading-assignment-rules", consumes = "application/json", produces = "application/json")
    GradingViews.RulesView replaceRules(@RequestBody GradingRulesRequest body) {
        Grader.Regraded regraded = changes.replaceRules(input.rules(body.givenTree(), profileIds()));
        return new GradingViews.RulesView(ruleViews(), regraded);
    }

    private List<GradingViews.RuleView> ruleViews() {
        return profiles.rules().stream()
                .map(r -> GradingViews.RuleView.of(r, conditions))
                .toList();
    }

    private Set<Long> profileIds() {
        return profiles.list().stream().map(p -> p.profile().id()).collect(Collectors.toSet());
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(
                RequestValidators.rule(
                        GradingProfileRequest.class,
                        (r, errors) -> ApiRequest.collect(errors, () -> input.profile(r.givenTree()))),
                RequestValidators.rule(
                        GradingRulesRequest.class,
                        (r, errors) -> ApiRequest.collect(errors, () -> input.rules(r.givenTree(), profileIds()))));
    }

    static InvalidInputException nameTaken() {
        return InvalidInputException.of("name", "is already the name of another grading profile");
    }

    /** A grading profile: its name and the fit criteria, each weighted 1 to 3. */
    record GradingProfileRequest(String name, List<GradingCriterionRequest> criteria) implements ApiRequest {}

    /**
     * One criterion: a label, a condition over the fit fields (none: inactive until filled in) and a weight of 1, 2
     * or 3 thirds of a letter grade.
     */
    record GradingCriterionRequest(
            Long id,
            String label,
            @Schema(ref = "#/components/schemas/Condition") JsonNode condition,
            Long weight,
            Boolean active)
            implements ApiRequest {}

    /** Which profile grades which prospects, the first matching rule winning. */
    record GradingRulesRequest(List<GradingRuleRequest> rules) implements ApiRequest {}

    /** One assignment rule: prospects whose fit fields match the condition are graded by the profile. */
    record GradingRuleRequest(
            Long id,
            @Schema(ref = "#/components/schemas/Condition") JsonNode condition,
            Long profileId) implements ApiRequest {}
}
