package dev.kindling.lifecycle;

import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.engine.lifecycle.Trigger;
import dev.kindling.platform.web.JsonValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/lifecycle}: the lifecycle policy (MQL thresholds, engaging and hand-raise activities, inactivity
 * period, disqualification policies) and, read-only, the transition table. A PUT replaces the whole policy and
 * reports what it re-evaluated. Writing takes ADMIN or MARKETING (the API's default for writes).
 */
@RestController
@RequestMapping(path = "/api/v1/lifecycle", produces = "application/json")
class LifecycleController {

    /** One row of the transition table as the API shows it. */
    record TransitionRow(List<LifecycleStage> from, Trigger trigger, LifecycleStage to, boolean implemented,
            String description) {
    }

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
    Map<String, Object> put(@RequestBody JsonNode body) {
        LifecycleChanges.Reevaluation done = changes.replace(LifecycleSettings.validate(JsonValues.object(body, "body")));
        Map<String, Object> out = get();
        out.put("reevaluation", done);
        return out;
    }

    static List<TransitionRow> transitions() {
        return StageMoves.TABLE.rows().stream()
                .map(t -> new TransitionRow(t.from().stream().sorted().toList(), t.trigger(), t.to(),
                        t.trigger().implemented(), t.trigger().description()))
                .toList();
    }
}
