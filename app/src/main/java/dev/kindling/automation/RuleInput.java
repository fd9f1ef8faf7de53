package dev.kindling.automation;

import dev.kindling.conditions.ConditionJson;
import dev.kindling.conditions.ConditionSql;
import dev.kindling.engine.automation.Action;
import dev.kindling.engine.automation.Repeat;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.grading.Thresholds;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.CustomField;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import tools.jackson.databind.JsonNode;

/** What a client sets on a rule — name, condition, actions, repeat — validated as a whole (every error listed). */
record RuleInput(String name, JsonNode conditionJson, Condition condition, List<Action> actions, Repeat repeat) {

    static final Set<String> FIELDS = Set.of("name", "condition", "actions", "repeat");

    static RuleInput validate(
            JsonNode body,
            Map<String, CustomField> customFields,
            ActionJson actionJson,
            LongPredicate listExists,
            Instant now,
            Thresholds thresholds) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw InvalidInputException.of("body", "must be a JSON object");
        }
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, "is not a known field"));
            }
        }
        String name = null;
        JsonNode rawName = body.get("name");
        if (rawName == null || !rawName.isString() || rawName.asString().isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (rawName.asString().strip().length() > 200) {
            errors.add(new FieldError("name", "must be at most 200 characters"));
        } else {
            name = rawName.asString().strip();
        }
        JsonNode rawCondition = body.get("condition");
        Condition condition = null;
        if (rawCondition == null || rawCondition.isNull()) {
            errors.add(new FieldError("condition", "is required"));
        } else {
            condition = condition(rawCondition, customFields, listExists, now, thresholds, errors);
        }
        JsonNode rawActions = body.get("actions");
        List<Action> actions = List.of();
        if (rawActions == null || rawActions.isNull()) {
            errors.add(new FieldError("actions", "is required"));
        } else {
            actions = actionJson.parse(dev.kindling.platform.web.JsonValues.value(rawActions), "actions", errors);
            if (rawActions.isArray() && rawActions.isEmpty()) {
                errors.add(new FieldError("actions", "must have at least one action"));
            }
        }
        Repeat repeat = repeat(body.get("repeat"), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new RuleInput(name, ConditionJson.write(condition), condition, actions, repeat);
    }

    /**
     * The condition, valid in the language, naming only existing lists and compilable set-based (preview and
     * retroactive runs need SQL); problems are added to {@code errors} with their paths.
     */
    static Condition condition(
            JsonNode raw,
            Map<String, CustomField> customFields,
            LongPredicate listExists,
            Instant now,
            Thresholds thresholds,
            List<FieldError> errors) {
        try {
            Condition condition = ConditionJson.parse(raw, customFields, "condition.");
            for (long listId : lists(condition)) {
                if (!listExists.test(listId)) {
                    errors.add(
                            new FieldError("condition", "names list " + listId + ", which does not exist (deleted?)"));
                }
            }
            ConditionSql.compile(condition, now, thresholds);
            return condition;
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    /** The list ids a condition tests membership of. */
    static Set<Long> lists(Condition condition) {
        Set<Long> ids = new java.util.TreeSet<>();
        collect(condition, ids);
        return ids;
    }

    private static void collect(Condition c, Set<Long> ids) {
        switch (c) {
            case Condition.All a -> a.conditions().forEach(x -> collect(x, ids));
            case Condition.Any a -> a.conditions().forEach(x -> collect(x, ids));
            case Condition.Not n -> collect(n.condition(), ids);
            case Condition.ListMembership l -> ids.add(l.listId());
            default -> {}
        }
    }

    private static Repeat repeat(JsonNode raw, List<FieldError> errors) {
        if (raw == null || raw.isNull() || (raw.isBoolean() && !raw.asBoolean())) {
            return Repeat.ONCE;
        }
        if (!raw.isObject()) {
            errors.add(new FieldError("repeat", "must be null (match once) or {daysBeforeEligible, maxMatches}"));
            return Repeat.ONCE;
        }
        for (String key : raw.propertyNames()) {
            if (!key.equals("daysBeforeEligible") && !key.equals("maxMatches")) {
                errors.add(new FieldError("repeat." + key, "is not a known field"));
            }
        }
        JsonNode days = raw.get("daysBeforeEligible");
        JsonNode max = raw.get("maxMatches");
        boolean ok = true;
        if (days == null || !days.isIntegralNumber() || days.asLong() < 0 || days.asLong() > Repeat.MAX_DAYS) {
            errors.add(
                    new FieldError("repeat.daysBeforeEligible", "must be a whole number from 0 to " + Repeat.MAX_DAYS));
            ok = false;
        }
        if (max != null && !max.isNull() && (!max.isIntegralNumber() || max.asLong() < 1 || max.asLong() > 1_000_000)) {
            errors.add(new FieldError(
                    "repeat.maxMatches", "must be a whole number from 1 to 1000000, or null for no limit"));
            ok = false;
        }
        if (!ok) {
            return Repeat.ONCE;
        }
        return Repeat.every(days.asInt(), max == null || max.isNull() ? null : max.asInt());
    }
}
