package dev.kindling.scoring;

import dev.kindling.campaigns.Campaigns;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.RequestValidators;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/scoring-rules}: the rules of the scoring model. Writes take effect for the next activity. */
@RestController
@RequestMapping(path = "/api/v1/scoring-rules", produces = "application/json")
class ScoringRuleController implements RequestValidators {

    private final ScoringRules rules;
    private final Campaigns campaigns;

    ScoringRuleController(ScoringRules rules, Campaigns campaigns) {
        this.rules = rules;
        this.campaigns = campaigns;
    }

    @GetMapping
    List<RuleView> list() {
        return rules.list();
    }

    @GetMapping("/{id}")
    RuleView get(@PathVariable long id) {
        return rules.get(id);
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<RuleView> create(@RequestBody ScoringRuleRequest body) {
        RuleView created = rules.create(RuleValues.validate(body.given(), campaigns::exists));
        return ResponseEntity.created(URI.create("/api/v1/scoring-rules/" + created.id()))
                .body(created);
    }

    /** Changes the given fields ({@code null} clears an optional one); the result is validated as a whole. */
    @PatchMapping(
            path = "/{id}",
            consumes = {"application/json", "application/merge-patch+json"})
    RuleView patch(@PathVariable long id, @RequestBody ScoringRuleRequest body) {
        Map<String, Object> merged = RuleValues.of(rules.get(id));
        merged.putAll(body.given());
        return rules.update(id, RuleValues.validate(merged, campaigns::exists));
    }

    /** A scoring rule: which activities it matches and the points they give; a patch changes the fields given. */
    record ScoringRuleRequest(
            String name,
            String activityType,
            Optional<String> customName,
            Optional<String> urlPattern,
            Optional<String> formName,
            Optional<String> assetName,
            Optional<String> emailId,
            Optional<Long> campaignId,
            Long points,
            Optional<Long> maxPointsPerDay,
            Boolean firstTimeOnly,
            Optional<String> firstTimeKey,
            Optional<String> category,
            Optional<Long> occurrence,
            Optional<Long> withinDays)
            implements ApiRequest {}

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        rules.delete(id);
        return ResponseEntity.noContent().build();
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(RequestValidators.onGiven(
                ScoringRuleRequest.class, given -> RuleValues.validate(given, campaigns::exists)));
    }
}
