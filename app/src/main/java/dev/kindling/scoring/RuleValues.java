package dev.kindling.scoring;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.scoring.ScoringRule;
import dev.kindling.engine.scoring.UrlPattern;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * What a client may set on a scoring rule, validated as a whole: a rule that is stored can always be
 * turned into an engine {@link ScoringRule}, so no stored rule can break intake.
 */
record RuleValues(
        String name,
        ActivityType activityType,
        String customName,
        String urlPattern,
        String formName,
        String assetName,
        String emailId,
        Long campaignId,
        int points,
        Integer maxPointsPerDay,
        boolean firstTimeOnly,
        String firstTimeKey,
        String category,
        Integer occurrence,
        Integer withinDays) {

    static final Set<String> FIELDS = Set.of(
            "name",
            "activityType",
            "customName",
            "urlPattern",
            "formName",
            "assetName",
            "emailId",
            "campaignId",
            "points",
            "maxPointsPerDay",
            "firstTimeOnly",
            "firstTimeKey",
            "category",
            "occurrence",
            "withinDays");
    static final int MAX_NAME = 200;
    static final int MAX_FILTER = 500;
    static final int MAX_PER_DAY = 100_000;

    /** The fields of an existing rule, as a map a patch can be merged into. */
    static Map<String, Object> of(RuleView r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("activityType", r.activityType());
        m.put("customName", r.customName());
        m.put("urlPattern", r.urlPattern());
        m.put("formName", r.formName());
        m.put("assetName", r.assetName());
        m.put("emailId", r.emailId());
        m.put("campaignId", r.campaignId());
        m.put("points", (long) r.points());
        m.put("maxPointsPerDay", r.maxPointsPerDay() == null ? null : (long) r.maxPointsPerDay());
        m.put("firstTimeOnly", r.firstTimeOnly());
        m.put("firstTimeKey", r.firstTimeKey());
        m.put("category", r.category());
        m.put("occurrence", r.occurrence() == null ? null : (long) r.occurrence());
        m.put("withinDays", r.withinDays() == null ? null : (long) r.withinDays());
        return m;
    }

    /** The values, or every error at once. */
    static RuleValues validate(Map<String, Object> raw, LongPredicate campaignExists) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        String name = text(raw, "name", MAX_NAME, errors);
        if (name == null && errors.stream().noneMatch(e -> e.field().equals("name"))) {
            errors.add(new FieldError("name", "is required"));
        }
        ActivityType type = null;
        Object rawType = raw.get("activityType");
        if (rawType == null) {
            errors.add(new FieldError("activityType", "is required"));
        } else if (!(rawType instanceof String s) || (type = ActivityType.parse(s)) == null) {
            errors.add(new FieldError("activityType", "must be one of " + List.of(ActivityType.values())));
        }
        String customName = text(raw, "customName", 100, errors);
        if (type == ActivityType.CUSTOM && customName == null && !has(errors, "customName")) {
            errors.add(new FieldError("customName", "is required for CUSTOM activities"));
        } else if (type != null && type != ActivityType.CUSTOM && customName != null) {
            errors.add(new FieldError("customName", "is only for CUSTOM activities"));
        }
        String urlPattern = null;
        Object rawPattern = raw.get("urlPattern");
        if (rawPattern != null) {
            String problem = rawPattern instanceof String s ? UrlPattern.problem(s) : "must be a string";
            if (problem != null) {
                errors.add(new FieldError("urlPattern", problem));
            } else {
                urlPattern = (String) rawPattern;
            }
        }
        String formName = text(raw, "formName", MAX_FILTER, errors);
        String assetName = text(raw, "assetName", MAX_FILTER, errors);
        String emailId = text(raw, "emailId", MAX_FILTER, errors);
        Long campaignId = null;
        Object rawCampaign = raw.get("campaignId");
        if (rawCampaign != null) {
            if (!(rawCampaign instanceof Long l) || l < 1) {
                errors.add(new FieldError("campaignId", "must be a positive integer"));
            } else if (!campaignExists.test(l)) {
                errors.add(new FieldError("campaignId", "names no campaign"));
            } else {
                campaignId = l;
            }
        }
        Integer points = integer(raw, "points", ScoringRule.MIN_POINTS, ScoringRule.MAX_POINTS, errors);
        if (points == null && !has(errors, "points")) {
            errors.add(new FieldError("points", "is required"));
        }
        Integer perDay = integer(raw, "maxPointsPerDay", 1, MAX_PER_DAY, errors);
        boolean firstTimeOnly = false;
        Object rawFirst = raw.get("firstTimeOnly");
        if (rawFirst != null) {
            if (rawFirst instanceof Boolean b) {
                firstTimeOnly = b;
            } else {
                errors.add(new FieldError("firstTimeOnly", "must be true or false"));
            }
        }
        String firstTimeKey = text(raw, "firstTimeKey", 50, errors);
        if (firstTimeKey != null && !firstTimeOnly) {
            errors.add(new FieldError("firstTimeKey", "is only for firstTimeOnly rules"));
        }
        String category = text(raw, "category", 100, errors);
        Integer occurrence = integer(raw, "occurrence", 1, ScoringRule.MAX_OCCURRENCE, errors);
        Integer withinDays = integer(raw, "withinDays", 1, ScoringRule.MAX_WITHIN_DAYS, errors);
        if (occurrence != null && withinDays == null && !has(errors, "withinDays")) {
            errors.add(new FieldError("withinDays", "is required with occurrence"));
        } else if (withinDays != null && occurrence == null && !has(errors, "occurrence")) {
            errors.add(new FieldError("occurrence", "is required with withinDays"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new RuleValues(
                name,
                type,
                customName,
                urlPattern,
                formName,
                assetName,
                emailId,
                campaignId,
                points,
                perDay,
                firstTimeOnly,
                firstTimeKey,
                category,
                occurrence,
                withinDays);
    }

    /** The engine rule these values make ({@code id} as given: a stored rule's, or a stand-in for a candidate). */
    ScoringRule toRule(long id) {
        return new ScoringRule(
                id,
                name,
                activityType,
                customName,
                urlPattern == null ? null : new UrlPattern(urlPattern),
                formName,
                assetName,
                emailId,
                campaignId,
                points,
                maxPointsPerDay,
                firstTimeOnly,
                firstTimeKey,
                category,
                occurrence,
                withinDays);
    }

    private static boolean has(List<FieldError> errors, String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    /** A trimmed, non-blank string of at most {@code max} characters, or {@code null} when absent or blank. */
    private static String text(Map<String, Object> raw, String field, int max, List<FieldError> errors) {
        Object value = raw.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        String stripped = s.strip();
        if (stripped.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
            return null;
        }
        if (stripped.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(field, "must not contain control characters"));
            return null;
        }
        return stripped.isEmpty() ? null : stripped;
    }

    private static Integer integer(Map<String, Object> raw, String field, int min, int max, List<FieldError> errors) {
        Object value = raw.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Long l) || l < min || l > max) {
            errors.add(new FieldError(field, "must be an integer between " + min + " and " + max));
            return null;
        }
        return (int) (long) l;
    }
}
