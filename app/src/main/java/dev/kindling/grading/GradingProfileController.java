package dev.kindling.grading;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
class GradingProfileController {

    private final GradingProfiles profiles;
    private final GradingChanges changes;

    GradingProfileController(GradingProfiles profiles, GradingChanges changes) {
        this.profiles = profiles;
        this.changes = changes;
    }

    @GetMapping(path = "/api/v1/grading-profiles", produces = "application/json")
    List<GradingViews.ProfileView> list() {
        return profiles.list().stream()
                .map(p -> GradingViews.ProfileView.of(p, null))
                .toList();
    }

    @GetMapping(path = "/api/v1/grading-profiles/{id}", produces = "application/json")
    GradingViews.ProfileView get(@PathVariable long id) {
        return GradingViews.ProfileView.of(profiles.get(id), null);
    }

    @PostMapping(path = "/api/v1/grading-profiles", consumes = "application/json", produces = "application/json")
    ResponseEntity<GradingViews.ProfileView> create(@RequestBody GradingProfileRequest body) {
        ProfileInput.Profile input = ProfileInput.profile(body.given());
        long id = changes.create(input);
        return ResponseEntity.created(URI.create("/api/v1/grading-profiles/" + id))
                .body(GradingViews.ProfileView.of(profiles.get(id), null));
    }

    @PutMapping(path = "/api/v1/grading-profiles/{id}", consumes = "application/json", produces = "application/json")
    GradingViews.ProfileView replace(@PathVariable long id, @RequestBody GradingProfileRequest body) {
        profiles.get(id);
        ProfileInput.Profile input = ProfileInput.profile(body.given());
        Grader.Regraded regraded = changes.replace(id, input);
        return GradingViews.ProfileView.of(profiles.get(id), regraded);
    }

    @DeleteMapping("/api/v1/grading-profiles/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        changes.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/api/v1/grading-assignment-rules", produces = "application/json")
    GradingViews.RulesView rules() {
        return new GradingViews.RulesView(
                profiles.rules().stream().map(GradingViews.RuleView::of).toList(), null);
    }

    @PutMapping(path = "/api/v1/grading-assignment-rules", consumes = "application/json", produces = "application/json")
    GradingViews.RulesView replaceRules(@RequestBody GradingRulesRequest body) {
        Map<String, Object> raw = body.given();
        Set<Long> ids = profiles.list().stream().map(p -> p.profile().id()).collect(Collectors.toSet());
        Grader.Regraded regraded = changes.replaceRules(ProfileInput.rules(raw, ids));
        return new GradingViews.RulesView(
                profiles.rules().stream().map(GradingViews.RuleView::of).toList(), regraded);
    }

    static InvalidInputException nameTaken() {
        return InvalidInputException.of("name", "is already the name of another grading profile");
    }

    /** A grading profile: its name and the fit criteria, each weighted 1 to 3. */
    record GradingProfileRequest(String name, List<GradingCriterionRequest> criteria) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            ApiRequest.collect(errors, () -> ProfileInput.profile(given()));
        }
    }

    /** One criterion: a field compared with values by an operator. */
    record GradingCriterionRequest(
            Long id,
            String label,
            String field,
            String operator,

            @Schema(type = "array", description = "texts, or numbers for a number field")
            JsonNode values,

            Long weight,
            Boolean active)
            implements ApiRequest {}

    /** Which profile grades which prospects, the first matching rule winning. */
    record GradingRulesRequest(List<GradingRuleRequest> rules) implements ApiRequest {}

    /** One assignment rule: prospects whose field matches the values are graded by the profile. */
    record GradingRuleRequest(
            Long id,
            String field,
            String operator,

            @Schema(type = "array", description = "texts, or numbers for a number field")
            JsonNode values,

            Long profileId)
            implements ApiRequest {}
}
