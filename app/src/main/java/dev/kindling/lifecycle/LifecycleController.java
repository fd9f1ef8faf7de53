package dev.kindling.lifecycle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.lifecycle.Trigger;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/lifecycle}: the lifecycle policy (MQL thresholds, engaging and hand-raise activities, inactivity
 * period, disqualification policies) and, read-only, the transition table. A PUT replaces the whole policy and
 * reports what it re-evaluated. Writing takes ADMIN or MARKETING (the API's default for writes).
 */
@RestController
@RequestMapping(path = "/api/v1/lifecycle", produces = "application/json")
class LifecycleController {

    /** One row of the transition table as the API shows it. */
    record TransitionRow(
            List<LifecycleStage> from, Trigger trigger, LifecycleStage to, boolean implemented, String description) {}

    private final LifecycleSettings settings;
    private final LifecycleChanges changes;

    LifecycleController(LifecycleSettings settings, LifecycleChanges changes) {
        this.settings = settings;
        this.changes = changes;
    }

    @GetMapping
    Map<String, Object> get() {
        Map<String, Object> out = new LinkedHashMap<>(LifecycleSettings.document(settings.policy()));
        out.put("transitions", transitions());
        return out;
    }

    @PutMapping(consumes = "application/json")
    Map<String, Object> put(@RequestBody LifecyclePolicyRequest body) {
        LifecycleChanges.Reevaluation done = changes.replace(LifecycleSettings.validate(body.given()));
        Map<String, Object> out = get();
        out.put("reevaluation", done);
        return out;
    }

    /** The whole lifecycle policy; what a read adds besides it is ignored, so a read can be put back. */
    @JsonIgnoreProperties({"transitions", "reevaluation"})
    record LifecyclePolicyRequest(
            Long mqlScore,
            String mqlGrade,
            List<String> engagingActivityTypes,
            List<String> handRaiseActivityTypes,
            List<String> handRaiseFormNames,
            Long inactivityDays,
            Boolean disqualifyFreeMail,
            List<String> competitorDomains,
            List<String> mqlKeyActionTypes,
            Long mqlKeyActionDays,
            LifecycleRecycle recycle)
            implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            ApiRequest.collect(errors, () -> LifecycleSettings.validate(given()));
        }
    }

    /** What a recycled prospect's score does: RESET, or SUBTRACT / REQUIRE_NEW_POINTS some points. */
    record LifecycleRecycle(String mode, Long points) implements ApiRequest {}

    static List<TransitionRow> transitions() {
        return StageMoves.TABLE.rows().stream()
                .map(t -> new TransitionRow(
                        t.from().stream().sorted().toList(),
                        t.trigger(),
                        t.to(),
                        t.trigger().implemented(),
                        t.trigger().description()))
                .toList();
    }
}
