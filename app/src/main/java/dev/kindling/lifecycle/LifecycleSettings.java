package dev.kindling.lifecycle;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.grading.Grade;
import dev.kindling.engine.lifecycle.LifecyclePolicy;
import dev.kindling.engine.lifecycle.RecyclePolicy;
import dev.kindling.platform.cluster.ConfigurationChanged;
import dev.kindling.platform.cluster.ConfigurationChanges;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lifecycle policy, stored in the one-row {@code lifecycle_thresholds} table and cached: intake reads it for
 * every activity. {@link #save} writes it and refreshes the cache; the caller re-evaluates what the change affects.
 */
@Component
public class LifecycleSettings {

    private final AuditLog audit;

    static final Set<String> FIELDS = Set.of(
            "mqlScore",
            "mqlGrade",
            "engagingActivityTypes",
            "handRaiseActivityTypes",
            "handRaiseFormNames",
            "inactivityDays",
            "disqualifyFreeMail",
            "competitorDomains",
            "mqlKeyActionTypes",
            "mqlKeyActionDays",
            "recycle");
    /** Shown by GET and ignored by PUT, so a document read can be written back as it is. */
    static final Set<String> READ_ONLY = Set.of("transitions", "reevaluation");

    static final int MAX_SCORE = 100_000;
    static final int MAX_DAYS = 3_650;
    static final int MAX_ITEMS = 500;
    private static final Pattern DOMAIN = Pattern.compile("(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

    /** The topic of a change, announced to every instance ({@link ConfigurationChanges}). */
    static final String TOPIC = "lifecycle";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ConfigurationChanges changes;
    private volatile LifecyclePolicy cached;

    LifecycleSettings(JdbcClient jdbc, Clock clock, AuditLog audit, ConfigurationChanges changes) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
        this.changes = changes;
    }

    @EventListener
    void forget(ConfigurationChanged changed) {
        if (changed.concerns(TOPIC)) {
            cached = null;
        }
    }

    /** The policy in force. */
    public LifecyclePolicy policy() {
        LifecyclePolicy p = cached;
        if (p == null) {
            p = load();
            cached = p;
        }
        return p;
    }

    LifecyclePolicy load() {
        return jdbc.sql("""
                        SELECT mql_score, mql_grade, engaging_types, hand_raise_types, hand_raise_forms,
                               inactivity_days, disqualify_free_mail, competitor_domains,
                               mql_key_action_types, mql_key_action_days, recycle_mode, recycle_points
                          FROM lifecycle_thresholds""").query(LifecycleSettings::read).optional().orElse(LifecyclePolicy.DEFAULTS);
    }

    /** Writes the policy (flame thresholds, which grading owns, are kept) and refreshes the cache. */
    void save(LifecyclePolicy p) {
        audit.record(AuditEntry.updated("lifecycle_settings", null, document(load()), document(p)));
        jdbc.sql("""
                        UPDATE lifecycle_thresholds
                           SET mql_score = :score, mql_grade = :grade, engaging_types = :engaging,
                               hand_raise_types = :handRaise, hand_raise_forms = :forms,
                               inactivity_days = :days, disqualify_free_mail = :freeMail,
                               competitor_domains = :competitors, mql_key_action_types = :keyTypes,
                               mql_key_action_days = :keyDays, recycle_mode = :recycleMode,
                               recycle_points = :recyclePoints, updated_at = :now""")
                .param("score", p.mqlScore())
                .param("grade", p.mqlGrade().display())
                .param("engaging", names(p.engagingTypes()))
                .param("handRaise", names(p.handRaiseTypes()))
                .param("forms", p.handRaiseForms().toArray(String[]::new))
                .param("days", p.inactivityDays())
                .param("freeMail", p.disqualifyFreeMail())
                .param("competitors", p.competitorDomains().toArray(String[]::new))
                .param("keyTypes", names(p.mqlKeyActionTypes()))
                .param("keyDays", p.mqlKeyActionDays())
                .param("recycleMode", p.recycle().mode().name())
                .param("recyclePoints", p.recycle().points())
                .param("now", Timestamp.from(clock.instant()))
                .update();
        cached = load();
        changes.announce(TOPIC);
    }

    /** The settings document, as GET shows it and PUT takes it. */
    static Map<String, Object> document(LifecyclePolicy p) {
        return Map.ofEntries(
                Map.entry("mqlScore", p.mqlScore()),
                Map.entry("mqlGrade", p.mqlGrade().display()),
                Map.entry("mqlKeyActionTypes", List.of(names(p.mqlKeyActionTypes()))),
                Map.entry("mqlKeyActionDays", p.mqlKeyActionDays()),
                Map.entry("engagingActivityTypes", List.of(names(p.engagingTypes()))),
                Map.entry("handRaiseActivityTypes", List.of(names(p.handRaiseTypes()))),
                Map.entry("handRaiseFormNames", List.copyOf(new TreeSet<>(p.handRaiseForms()))),
                Map.entry("inactivityDays", p.inactivityDays()),
                Map.entry("disqualifyFreeMail", p.disqualifyFreeMail()),
                Map.entry("competitorDomains", List.copyOf(new TreeSet<>(p.competitorDomains()))),
                Map.entry(
                        "recycle",
                        p.recycle().mode() == RecyclePolicy.Mode.RESET
                                ? Map.of("mode", "RESET")
                                : Map.of(
                                        "mode",
                                        p.recycle().mode().name(),
                                        "points",
                                        p.recycle().points())));
    }

    /** A whole policy from a request: every field required, every error listed. */
    static LifecyclePolicy validate(Map<String, Object> raw) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (!FIELDS.contains(key) && !READ_ONLY.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        Integer score = integer(raw, "mqlScore", 0, MAX_SCORE, errors);
        Grade grade = null;
        if (!(raw.get("mqlGrade") instanceof String g)
                || (grade = Grade.parse(g).orElse(null)) == null) {
            errors.add(new FieldError("mqlGrade", "must be a grade from F to A+ (such as \"C\" or \"B-\")"));
        }
        Set<ActivityType> engaging = types(raw, "engagingActivityTypes", errors);
        Set<ActivityType> handRaise = types(raw, "handRaiseActivityTypes", errors);
        Set<String> forms = strings(
                raw,
                "handRaiseFormNames",
                errors,
                s -> s.isBlank() || s.length() > 200 ? "must be a form name of 1 to 200 characters" : null);
        Integer days = integer(raw, "inactivityDays", 1, MAX_DAYS, errors);
        Object freeMail = raw.get("disqualifyFreeMail");
        if (!(freeMail instanceof Boolean)) {
            errors.add(new FieldError("disqualifyFreeMail", "must be true or false"));
        }
        Set<String> competitors = strings(
                raw,
                "competitorDomains",
                errors,
                s -> DOMAIN.matcher(s.strip().toLowerCase(java.util.Locale.ROOT))
                                .matches()
                        ? null
                        : "must be a domain such as rival.example");
        Set<ActivityType> keyTypes =
                raw.containsKey("mqlKeyActionTypes") ? types(raw, "mqlKeyActionTypes", errors) : Set.of();
        Integer keyDays = raw.containsKey("mqlKeyActionDays")
                ? integer(raw, "mqlKeyActionDays", 0, LifecyclePolicy.MAX_KEY_ACTION_DAYS, errors)
                : Integer.valueOf(0);
        if (keyDays != null && keyDays < 1 && !keyTypes.isEmpty()) {
            errors.add(new FieldError(
                    "mqlKeyActionDays",
                    "must be an integer from 1 to " + LifecyclePolicy.MAX_KEY_ACTION_DAYS
                            + " when key action types are set"));
        }
        RecyclePolicy recycle =
                raw.containsKey("recycle") ? recycle(raw.get("recycle"), errors) : RecyclePolicy.DEFAULT;
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new LifecyclePolicy(
                score,
                grade,
                engaging,
                handRaise,
                forms,
                days,
                (Boolean) freeMail,
                competitors,
                keyTypes,
                keyDays,
                recycle);
    }

    /**
     * {@code {"mode": "RESET"}} (the default when absent), {@code {"mode": "SUBTRACT", "points": N}} or
     * {@code {"mode": "REQUIRE_NEW_POINTS", "points": N}}, N from 1 to {@value RecyclePolicy#MAX_POINTS}.
     */
    static RecyclePolicy recycle(Object raw, List<FieldError> errors) {
        if (!(raw instanceof Map<?, ?> m)) {
            errors.add(new FieldError("recycle", "must be an object {\"mode\": …, \"points\": …}"));
            return null;
        }
        for (Object key : m.keySet()) {
            if (!"mode".equals(key) && !"points".equals(key)) {
                errors.add(new FieldError("recycle." + key, "is not a known field"));
            }
        }
        RecyclePolicy.Mode mode = m.get("mode") instanceof String s
                ? Arrays.stream(RecyclePolicy.Mode.values())
                        .filter(v -> v.name().equals(s.strip()))
                        .findFirst()
                        .orElse(null)
                : null;
        if (mode == null) {
            errors.add(
                    new FieldError("recycle.mode", "must be one of " + Arrays.toString(RecyclePolicy.Mode.values())));
            return null;
        }
        if (mode == RecyclePolicy.Mode.RESET) {
            if (m.get("points") != null && !Long.valueOf(0).equals(m.get("points"))) {
                errors.add(new FieldError("recycle.points", "is not used by RESET (the score goes to 0)"));
                return null;
            }
            return RecyclePolicy.DEFAULT;
        }
        if (!(m.get("points") instanceof Long n) || n < 1 || n > RecyclePolicy.MAX_POINTS) {
            errors.add(new FieldError(
                    "recycle.points", "must be an integer from 1 to " + RecyclePolicy.MAX_POINTS + " for " + mode));
            return null;
        }
        return new RecyclePolicy(mode, n.intValue());
    }

    private static Integer integer(Map<String, Object> raw, String field, int min, int max, List<FieldError> errors) {
        if (raw.get(field) instanceof Long v && v >= min && v <= max) {
            return v.intValue();
        }
        errors.add(new FieldError(field, "must be an integer from " + min + " to " + max));
        return null;
    }

    private static Set<ActivityType> types(Map<String, Object> raw, String field, List<FieldError> errors) {
        Set<ActivityType> out = new LinkedHashSet<>();
        if (!(raw.get(field) instanceof List<?> list) || list.size() > ActivityType.values().length) {
            errors.add(new FieldError(field, "must be a list of activity types"));
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            ActivityType type = list.get(i) instanceof String s ? ActivityType.parse(s) : null;
            if (type == null) {
                errors.add(new FieldError(
                        field + "[" + i + "]", "must be one of " + Arrays.toString(ActivityType.values())));
            } else {
                out.add(type);
            }
        }
        return out;
    }

    private static Set<String> strings(
            Map<String, Object> raw,
            String field,
            List<FieldError> errors,
            java.util.function.Function<String, String> check) {
        Set<String> out = new LinkedHashSet<>();
        if (!(raw.get(field) instanceof List<?> list) || list.size() > MAX_ITEMS) {
            errors.add(new FieldError(field, "must be a list of at most " + MAX_ITEMS + " texts"));
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            String problem = list.get(i) instanceof String s ? check.apply(s) : "must be a text";
            if (problem != null) {
                errors.add(new FieldError(field + "[" + i + "]", problem));
            } else {
                out.add((String) list.get(i));
            }
        }
        return out;
    }

    private static LifecyclePolicy read(ResultSet rs, int row) throws SQLException {
        return new LifecyclePolicy(
                rs.getInt("mql_score"),
                Grade.parse(rs.getString("mql_grade")).orElse(Grade.C),
                types(rs.getArray("engaging_types")),
                types(rs.getArray("hand_raise_types")),
                new LinkedHashSet<>(Arrays.asList(texts(rs.getArray("hand_raise_forms")))),
                rs.getInt("inactivity_days"),
                rs.getBoolean("disqualify_free_mail"),
                new LinkedHashSet<>(Arrays.asList(texts(rs.getArray("competitor_domains")))),
                types(rs.getArray("mql_key_action_types")),
                rs.getInt("mql_key_action_days"),
                new RecyclePolicy(
                        RecyclePolicy.Mode.valueOf(rs.getString("recycle_mode")), rs.getInt("recycle_points")));
    }

    private static Set<ActivityType> types(Array array) throws SQLException {
        Set<ActivityType> out = new LinkedHashSet<>();
        for (String name : texts(array)) {
            ActivityType type = ActivityType.parse(name);
            if (type != null) {
                out.add(type);
            }
        }
        return out;
    }

    private static String[] texts(Array array) throws SQLException {
        return array == null ? new String[0] : (String[]) array.getArray();
    }

    private static String[] names(Set<ActivityType> types) {
        return types.stream().map(Enum::name).sorted().toArray(String[]::new);
    }
}
