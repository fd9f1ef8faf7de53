package dev.kindling.scoring;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

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
    ScoringSettings.View put(@RequestBody ScoringSettingsRequest body) {
        return settings.put(ScoringSettings.validate(body.given()));
    }

    /** The decay settings, all given at once ({@code null} days turn that decay off). */
    record ScoringSettingsRequest(
            Optional<Long> inactivityDays,
            String inactivityAction,
            Long subtractPoints,
            Optional<Long> halfLifeDays,
            Long floor)
            implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            ApiRequest.collect(errors, () -> ScoringSettings.validate(given()));
        }
    }
}
