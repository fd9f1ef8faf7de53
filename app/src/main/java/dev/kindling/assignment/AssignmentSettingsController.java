package dev.kindling.assignment;

import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.RequestValidators;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The assignment setting of each stage entry: {@code {"MQL": {"mode": "ROUND_ROBIN", "teamId": 3}, "SQL": {...}}}.
 * Everyone signed in reads; ADMIN writes (security configuration). A PUT may name one stage or both.
 */
@RestController
@RequestMapping(path = "/api/v1/assignment/settings", produces = "application/json")
class AssignmentSettingsController implements RequestValidators {

    private final AssignmentSettings settings;
    private final JdbcClient jdbc;

    AssignmentSettingsController(AssignmentSettings settings, JdbcClient jdbc) {
        this.settings = settings;
        this.jdbc = jdbc;
    }

    @GetMapping
    Map<String, Object> get() {
        return document(settings.all());
    }

    @PutMapping(consumes = "application/json")
    @Transactional
    Map<String, Object> put(@RequestBody AssignmentSettingsRequest body) {
        settings.save(validate(body.given(), jdbc));
        return get();
    }

    /** How prospects are assigned on entering MQL and SQL; a stage left out keeps its setting. */
    record AssignmentSettingsRequest(AssignmentStageSetting MQL, AssignmentStageSetting SQL) implements ApiRequest {}

    /** One stage's assignment: the mode and, for ROUND_ROBIN and TERRITORY fallback, the team. */
    record AssignmentStageSetting(AssignmentSettings.Mode mode, Optional<Long> teamId) implements ApiRequest {}

    static Map<String, Object> document(Map<LifecycleStage, AssignmentSettings.Setting> all) {
        Map<String, Object> out = new LinkedHashMap<>();
        all.forEach((stage, s) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("mode", s.mode().name());
            one.put("teamId", s.teamId());
            out.put(stage.name(), one);
        });
        return out;
    }

    /** Validates settings keyed by stage name; 400 listing every problem. Shared with the page. */
    static List<AssignmentSettings.Setting> validate(Map<String, Object> raw, JdbcClient jdbc) {
        List<FieldError> errors = new ArrayList<>();
        List<AssignmentSettings.Setting> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            LifecycleStage stage = AssignmentSettings.STAGES.stream()
                    .filter(s -> s.name().equals(e.getKey()))
                    .findFirst()
                    .orElse(null);
            if (stage == null) {
                errors.add(new FieldError(e.getKey(), "is not a stage entry that assigns (MQL or SQL)"));
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> m)) {
                errors.add(new FieldError(e.getKey(), "must be an object with mode and teamId"));
                continue;
            }
            for (Object key : m.keySet()) {
                if (!"mode".equals(key) && !"teamId".equals(key)) {
                    errors.add(new FieldError(e.getKey() + "." + key, "is not a known field"));
                }
            }
            AssignmentSettings.Mode mode = null;
            for (AssignmentSettings.Mode candidate : AssignmentSettings.Mode.values()) {
                if (candidate.name().equals(m.get("mode"))) {
                    mode = candidate;
                }
            }
            if (mode == null) {
                errors.add(new FieldError(e.getKey() + ".mode", "must be one of NONE, ROUND_ROBIN, TERRITORY"));
                continue;
            }
            Object team = m.get("teamId");
            if (team != null
                    && (!(team instanceof Long t)
                            || jdbc.sql("SELECT count(*) FROM team WHERE id = :id")
                                            .param("id", t)
                                            .query(Long.class)
                                            .single()
                                    == 0)) {
                errors.add(new FieldError(e.getKey() + ".teamId", "names no team"));
                continue;
            }
            if (mode == AssignmentSettings.Mode.ROUND_ROBIN && team == null) {
                errors.add(
                        new FieldError(e.getKey() + ".teamId", "is required for ROUND_ROBIN: the team to rotate in"));
                continue;
            }
            out.add(new AssignmentSettings.Setting(
                    stage, mode, mode == AssignmentSettings.Mode.NONE ? null : (Long) team));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return out;
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(RequestValidators.rule(
                AssignmentSettingsRequest.class,
                (r, errors) -> ApiRequest.collect(errors, () -> validate(r.given(), jdbc))));
    }
}
