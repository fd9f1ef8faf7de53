package dev.kindling.grading;

import dev.kindling.engine.grading.AssignmentRule;
import dev.kindling.engine.grading.Condition;
import dev.kindling.engine.grading.Criterion;
import dev.kindling.engine.grading.Problem;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a grading profile or a list of assignment rules as sent by a client and turns it into the
 * engine's types, reporting every problem with its path; nothing is stored unless there are none.
 */
final class ProfileInput {

    static final int MAX_NAME = 100;
    static final int MAX_CRITERIA = 50;
    static final int MAX_RULES = 100;
    private static final Set<String> PROFILE_KEYS = Set.of("name", "criteria");
    private static final Set<String> CRITERION_KEYS =
            Set.of("id", "label", "field", "operator", "values", "weight", "active");
    private static final Set<String> RULE_KEYS = Set.of("id", "field", "operator", "values", "profileId");

    /** A valid profile: its name and criteria in order. */
    record Profile(String name, List<Criterion> criteria) {}

    private ProfileInput() {}

    static Profile profile(Map<String, Object> raw) {
        List<Problem> problems = new ArrayList<>();
        unknownKeys(raw, PROFILE_KEYS, "", problems);
        String name = null;
        if (!(raw.get("name") instanceof String s) || s.isBlank()) {
            problems.add(new Problem("name", "is required"));
        } else if (s.strip().length() > MAX_NAME) {
            problems.add(new Problem("name", "must be at most " + MAX_NAME + " characters"));
        } else if (s.chars().anyMatch(Character::isISOControl)) {
            problems.add(new Problem("name", "must not contain control characters"));
        } else {
            name = s.strip();
        }
        List<Criterion> criteria = new ArrayList<>();
        Object rawCriteria = raw.get("criteria");
        if (rawCriteria == null) {
            // a profile without criteria grades everyone D
        } else if (!(rawCriteria instanceof List<?> list)) {
            problems.add(new Problem("criteria", "must be a list"));
        } else if (list.size() > MAX_CRITERIA) {
            problems.add(new Problem("criteria", "must have at most " + MAX_CRITERIA + " criteria"));
        } else {
            for (int i = 0; i < list.size(); i++) {
                String prefix = "criteria[" + i + "].";
                if (!(list.get(i) instanceof Map<?, ?> c)) {
                    problems.add(new Problem("criteria[" + i + "]", "must be an object"));
                    continue;
                }
                unknownKeys(c, CRITERION_KEYS, prefix, problems);
                Criterion criterion = Criterion.parse(
                        0,
                        c.get("label"),
                        c.get("field"),
                        c.get("operator"),
                        c.get("values"),
                        c.get("weight"),
                        prefix,
                        problems);
                if (criterion != null) {
                    criteria.add(criterion);
                }
            }
        }
        failOn(problems);
        return new Profile(name, criteria);
    }

    /** Criterion bodies ({@code label, field, operator, values, weight}) under {@code path}, every problem at once. */
    static List<Criterion> criteria(String path, List<Map<String, Object>> raw) {
        List<Problem> problems = new ArrayList<>();
        List<Criterion> criteria = new ArrayList<>();
        if (raw.size() > MAX_CRITERIA) {
            problems.add(new Problem(path, "must have at most " + MAX_CRITERIA + " criteria"));
        }
        for (int i = 0; i < raw.size() && problems.isEmpty(); i++) {
            Map<String, Object> c = raw.get(i);
            String prefix = path + "[" + i + "].";
            unknownKeys(c, CRITERION_KEYS, prefix, problems);
            Criterion criterion = Criterion.parse(
                    0,
                    c.get("label"),
                    c.get("field"),
                    c.get("operator"),
                    c.get("values"),
                    c.get("weight"),
                    prefix,
                    problems);
            if (criterion != null) {
                criteria.add(criterion);
            }
        }
        failOn(problems);
        return criteria;
    }

    /** Assignment rules from {@code {"rules":[{field, operator, values, profileId}]}}; profile ids are checked by the caller. */
    static List<AssignmentRule> rules(Map<String, Object> raw, Set<Long> profileIds) {
        List<Problem> problems = new ArrayList<>();
        unknownKeys(raw, Set.of("rules"), "", problems);
        List<AssignmentRule> rules = new ArrayList<>();
        if (!(raw.get("rules") instanceof List<?> list)) {
            problems.add(new Problem("rules", "is required: a list, in order; the first rule that matches wins"));
        } else if (list.size() > MAX_RULES) {
            problems.add(new Problem("rules", "must have at most " + MAX_RULES + " rules"));
        } else {
            for (int i = 0; i < list.size(); i++) {
                String prefix = "rules[" + i + "].";
                if (!(list.get(i) instanceof Map<?, ?> r)) {
                    problems.add(new Problem("rules[" + i + "]", "must be an object"));
                    continue;
                }
                unknownKeys(r, RULE_KEYS, prefix, problems);
                Condition condition =
                        Condition.parse(r.get("field"), r.get("operator"), r.get("values"), prefix, problems);
                Object profile = r.get("profileId");
                if (!(profile instanceof Long id)) {
                    problems.add(new Problem(prefix + "profileId", "is required: the id of a grading profile"));
                } else if (!profileIds.contains(id)) {
                    problems.add(new Problem(prefix + "profileId", "is not a grading profile"));
                } else if (condition != null) {
                    rules.add(new AssignmentRule(0, condition, id));
                }
            }
        }
        failOn(problems);
        return rules;
    }

    private static void unknownKeys(Map<?, ?> raw, Set<String> known, String prefix, List<Problem> problems) {
        for (Object key : raw.keySet()) {
            if (!known.contains(String.valueOf(key))) {
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
