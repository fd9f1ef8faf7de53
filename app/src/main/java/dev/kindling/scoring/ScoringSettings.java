package dev.kindling.scoring;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.engine.scoring.DecayPolicy;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ProspectRows;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The scoring model's decay policy and floor (one row). */
@Component
public class ScoringSettings {

    private final AuditLog audit;

    static final Set<String> FIELDS =
            Set.of("inactivityDays", "inactivityAction", "subtractPoints", "halfLifeDays", "floor");
    static final int MAX_FLOOR = 100_000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ScoringModels models;

    private final ProspectRows prospectRows;

    ScoringSettings(JdbcClient jdbc, Clock clock, ScoringModels models, AuditLog audit, ProspectRows prospectRows) {
        this.prospectRows = prospectRows;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
        this.models = models;
    }

    /** The settings as the API shows them; {@code null} days mean "off". */
    public record View(
            Integer inactivityDays,
            DecayPolicy.InactivityAction inactivityAction,
            int subtractPoints,
            Integer halfLifeDays,
            int floor) {}

    public View get() {
        DecayPolicy d = models.decay();
        return new View(d.inactivityDays(), d.inactivityAction(), d.subtractPoints(), d.halfLifeDays(), models.floor());
    }

    /**
     * Replaces the settings. Every scored prospect is then made due at once, so the decay job recomputes its next
     * decay instant under the new policy, in batches: a one-off pass for a rare edit, not a periodic scan.
     */
    @Transactional
    public View put(View v) {
        View before = get();
        var now = Timestamp.from(clock.instant());
        jdbc.sql("""
                        INSERT INTO scoring_settings (id, inactivity_days, inactivity_action, subtract_points,
                                                      half_life_days, floor, updated_at)
                        VALUES (1, :days, :action, :subtract, :halfLife, :floor, :now)
                        ON CONFLICT (id) DO UPDATE
                           SET inactivity_days = excluded.inactivity_days,
                               inactivity_action = excluded.inactivity_action,
                               subtract_points = excluded.subtract_points, half_life_days = excluded.half_life_days,
                               floor = excluded.floor, updated_at = excluded.updated_at""")
                .param("days", v.inactivityDays())
                .param("action", v.inactivityAction().name())
                .param("subtract", v.subtractPoints())
                .param("halfLife", v.halfLifeDays())
                .param("floor", v.floor())
                .param("now", now)
                .update();
        prospectRows.makeDecayDue(now.toInstant());
        models.refresh();
        audit.record(AuditEntry.updated("scoring_settings", null, before, get()));
        return get();
    }

    /** Every field must be given ({@code null} turns a day count off). */
    static View validate(Map<String, Object> raw) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        for (String key : FIELDS) {
            if (!raw.containsKey(key)) {
                errors.add(new FieldError(key, "is required" + (key.endsWith("Days") ? " (null turns it off)" : "")));
            }
        }
        Integer days = days(raw, "inactivityDays", errors);
        Integer halfLife = days(raw, "halfLifeDays", errors);
        DecayPolicy.InactivityAction action = DecayPolicy.InactivityAction.SET_TO_ZERO;
        Object rawAction = raw.get("inactivityAction");
        if (raw.containsKey("inactivityAction")) {
            try {
                action = DecayPolicy.InactivityAction.valueOf((String) rawAction);
            } catch (RuntimeException e) {
                errors.add(new FieldError(
                        "inactivityAction", "must be one of " + List.of(DecayPolicy.InactivityAction.values())));
            }
        }
        int subtract = number(raw, "subtractPoints", 0, 100_000, errors);
        int floor = number(raw, "floor", -MAX_FLOOR, MAX_FLOOR, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new View(days, action, subtract, halfLife, floor);
    }

    private static Integer days(Map<String, Object> raw, String field, List<FieldError> errors) {
        Object value = raw.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Long l) || l < 1 || l > DecayPolicy.MAX_DAYS) {
            errors.add(new FieldError(field, "must be null or an integer between 1 and " + DecayPolicy.MAX_DAYS));
            return null;
        }
        return (int) (long) l;
    }

    private static int number(Map<String, Object> raw, String field, int min, int max, List<FieldError> errors) {
        Object value = raw.get(field);
        if (!raw.containsKey(field)) {
            return 0;
        }
        if (!(value instanceof Long l) || l < min || l > max) {
            errors.add(new FieldError(field, "must be an integer between " + min + " and " + max));
            return 0;
        }
        return (int) (long) l;
    }
}
