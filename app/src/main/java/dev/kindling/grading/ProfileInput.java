package dev.kindling.grading;

import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.grading.AssignmentRule;
import dev.kindling.engine.grading.Criterion;
import dev.kindling.engine.grading.FitConditions;
import dev.kindling.engine.grading.Problem;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Checks a grading profile or a list of assignment rules as sent by a client (the API body, a page's form, a
 * closed-loop suggestion, all as JSON trees) and turns it into the engine's types, reporting every problem with its
 * path; nothing is stored unless there are none. Conditions are read by the condition language's codec and must then
 * test only the fit fields ({@link FitConditions#check}).
 */
@Component
class ProfileInput {

    static final int MAX_NAME = 100;
    static final int MAX_CRITERIA = 50;
    static final int MAX_RULES = 100;
    private static final Set<String> PROFILE_KEYS = Set.of("name", "criteria");
    private static final Set<String> CRITERION_KEYS = Set.of("id", "label", "condition", "weight", "active");
    private static final Set<String> RULE_KEYS = Set.of("id", "condition", "profileId");

    /** A valid profile: its name and criteria in order. */
    record Profile(String name, List<Criterion> criteria) {}

    private final ConditionCodec conditions;

    ProfileInput(ConditionCodec conditions) {
        this.conditions = conditions;
    }

    Profile profile(JsonNode raw) {
        List<Problem> problems = new ArrayList<>();
        unknownKeys(raw, PROFILE_KEYS, "", problems);
        String name = null;
        JsonNode rawName = raw.get("name");
        if (rawName == null || !rawName.isString() || rawName.asString().isBlank()) {
            problems.add(new Problem("name", "is required"));
        } else if (rawName.asString().strip().length() > MAX_NAME) {
            problems.add(new Problem("name", "must be at most " + MAX_NAME + " characters"));
        } else if (rawName.asString().chars().anyMatch(Character::isISOControl)) {
            problems.add(new Problem("name", "must not contain control characters"));
        } else {
            name = rawName.asString().strip();
        }
        List<Criterion> criteria = new ArrayList<>();
        JsonNode rawCriteria = raw.get("criteria");
        if (rawCriteria == null || rawCriteria.isNull()) {
            // a profile without criteria grades everyone D
        } else if (!rawCriteria.isArray()) {
            problems.add(new Problem("criteria", "must be a list"));
        } else if (rawCriteria.size() > MAX_CRITERIA) {
            problems.add(new Problem("criteria", "must have at most " + MAX_CRITERIA + " criteria"));
        } else {
            for (int i = 0; i < rawCriteria.size(); i++) {
                Criterion criterion = criterion(rawCriteria.get(i), "criteria[" + i + "]", problems);
                if (criterion != null) {
                    criteria.add(criterion);
                }
            }
        }
        failOn(problems);
        return new Profile(name, criteria);
    }

    /** Criterion bodies ({@code label, condition, weight}) of the array {@code raw} under {@code path}, every problem at once. */
    List<Criterion> criteria(String path, JsonNode raw) {
        List<Problem> problems = new ArrayList<>();
        List<Criterion> criteria = new ArrayList<>();
        if (raw.size() > MAX_CRITERIA) {
            problems.add(new Problem(path, "must have at most " + MAX_CRITERIA + " criteria"));
        }
        for (int i = 0; i < raw.size() && problems.isEmpty(); i++) {
            Criterion criterion = criterion(raw.get(i), path + "[" + i + "]", problems);
            if (criterion != null) {
                criteria.add(criterion);
            }
        }
        failOn(problems);
        return criteria;
    }

    /** Assignment rules from {@code {"rules":[{condition, profileId}]}}; {@code profileIds} are the existing profiles. */
    List<AssignmentRule> rules(JsonNode raw, Set<Long> profileIds) {
        List<Problem> problems = new ArrayList<>();
        unknownKeys(raw, Set.of("rules"), "", problems);
        List<AssignmentRule> rules = new ArrayList<>();
        JsonNode list = raw.get("rules");
        if (list == null || !list.isArray()) {
            problems.add(new Problem("rules", "is required: a list, in order; the first rule that matches wins"));
        } else if (list.size() > MAX_RULES) {
            problems.add(new Problem("rules", "must have at most " + MAX_RULES + " rules"));
        } else {
            for (int i = 0; i < list.size(); i++) {
                String at = "rules[" + i + "]";
                JsonNode r = list.get(i);
                if (!r.isObject()) {
                    problems.add(new Problem(at, "must be an object"));
                    continue;
                }
                int before = problems.size();
                unknownKeys(r, RULE_KEYS, at + ".", problems);
                Condition condition = condition(r.get("condition"), at + ".condition.", problems);
                if (condition != null) {
                    FitConditions.check(condition, at + ".condition.", problems);
                }
                JsonNode profile = r.get("profileId");
                if (profile == null || !profile.isIntegralNumber()) {
                    problems.add(new Problem(at + ".profileId", "is required: the id of a grading profile"));
                } else if (!profileIds.contains(profile.asLong())) {
                    problems.add(new Problem(at + ".profileId", "is not a grading profile"));
                } else if (problems.size() == before) {
                    rules.add(new AssignmentRule(0, condition, profile.asLong()));
                }
            }
        }
        failOn(problems);
        return rules;
    }

    private Criterion criterion(JsonNode c, String at, List<Problem> problems) {
        if (!c.isObject()) {
            problems.add(new Problem(at, "must be an object"));
            return null;
        }
        int before = problems.size();
        String prefix = at + ".";
        unknownKeys(c, CRITERION_KEYS, prefix, problems);
        JsonNode label = c.get("label");
        JsonNode weight = c.get("weight");
        Condition condition = condition(c.get("condition"), prefix + "condition.", problems);
        Criterion criterion = Criterion.parse(
                0,
                label != null && label.isString() ? label.asString() : null,
                condition,
                weight != null && weight.isIntegralNumber() ? (Object) weight.asLong() : null,
                prefix,
                problems);
        return problems.size() == before ? criterion : null;
    }

    /** The condition at {@code prefix} (null when absent: inactive), its problems added; null when invalid. Fit fields are checked by the caller. */
    private Condition condition(JsonNode node, String prefix, List<Problem> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return conditions.read(node, prefix);
        } catch (InvalidInputException e) {
            e.errors().forEach(err -> problems.add(new Problem(err.field(), err.message())));
            return null;
        }
    }

    private static void unknownKeys(JsonNode raw, Set<String> known, String prefix, List<Problem> problems) {
        for (String key : raw.propertyNames()) {
            if (!known.contains(key)) {
                problems.add(new Problem(prefix + key, "is not a known field"));
            }
        }
    }

    private static void failOn(List<Problem> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems.stream()
                    .map(p -> new FieldError(p.field(), p.message()))
                    .toList());
        }
    }
}
