package dev.kindling.scoring;

import dev.kindling.platform.web.JsonValues;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/scoring-settings}: the decay policy and the floor. */
@RestController
@RequestMapping(path = "/api/v1/scoring-settings", produces = "application/json")
class ScoringSettingsController {

    private final ScoringSettings settings;

    ScoringSettingsController(ScoringSettings settings) {
        this.settings = settings;
    }

    @GetMapping
    ScoringSettings.View get() {
        return settings.get();
    }

    @PutMapping(consumes = "application/json")
    ScoringSettings.View put(@RequestBody JsonNode body) {
        return settings.put(ScoringSettings.validate(JsonValues.object(body, "body")));
    }
}
