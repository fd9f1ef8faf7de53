package dev.kindling.grading;

import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.JsonValues;
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
        return profiles.list().stream().map(p -> GradingViews.ProfileView.of(p, null)).toList();
    }

    @GetMapping(path = "/api/v1/grading-profiles/{id}", produces = "application/json")
    GradingViews.ProfileView get(@PathVariable long id) {
        return GradingViews.ProfileView.of(profiles.get(id), null);
    }

    @PostMapping(path = "/api/v1/grading-profiles", consumes = "application/json", produces = "application/json")
    ResponseEntity<GradingViews.ProfileView> create(@RequestBody JsonNode body) {
        ProfileInput.Profile input = ProfileInput.profile(JsonValues.object(body, "body"));
        long id = changes.create(input);
        return ResponseEntity.created(URI.create("/api/v1/grading-profiles/" + id))
                .body(GradingViews.ProfileView.of(profiles.get(id), null));
    }

    @PutMapping(path = "/api/v1/grading-profiles/{id}", consumes = "application/json", produces = "application/json")
    GradingViews.ProfileView replace(@PathVariable long id, @RequestBody JsonNode body) {
        profiles.get(id);
        ProfileInput.Profile input = ProfileInput.profile(JsonValues.object(body, "body"));
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
        return new GradingViews.RulesView(profiles.rules().stream().map(GradingViews.RuleView::of).toList(), null);
    }

    @PutMapping(path = "/api/v1/grading-assignment-rules", consumes = "application/json", produces = "application/json")
    GradingViews.RulesView replaceRules(@RequestBody JsonNode body) {
        Map<String, Object> raw = JsonValues.object(body, "body");
        Set<Long> ids = profiles.list().stream().map(p -> p.profile().id()).collect(Collectors.toSet());
        Grader.Regraded regraded = changes.replaceRules(ProfileInput.rules(raw, ids));
        return new GradingViews.RulesView(profiles.rules().stream().map(GradingViews.RuleView::of).toList(), regraded);
    }

    static InvalidInputException nameTaken() {
        return InvalidInputException.of("name", "is already the name of another grading profile");
    }
}
