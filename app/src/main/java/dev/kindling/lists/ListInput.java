package dev.kindling.lists;

import dev.kindling.conditions.ConditionJson;
import dev.kindling.engine.condition.Condition;
import dev.kindling.grading.LifecycleThresholds;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.Prospects;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads a list definition from its JSON form (API body, or the page form turned into one): name, kind and, for a
 * dynamic list, a condition that validates and compiles set-based. Every problem is listed with its path.
 */
@Component
class ListInput {

    private static final Set<String> KEYS = Set.of("name", "kind", "condition");
    private static final Set<String> READ_ONLY = Set.of("id", "members", "createdAt", "updatedAt", "rebuild");

    private final Prospects prospects;
    private final LifecycleThresholds thresholds;
    private final Clock clock;

    ListInput(Prospects prospects, LifecycleThresholds thresholds, Clock clock) {
        this.prospects = prospects;
        this.thresholds = thresholds;
        this.clock = clock;
    }

    /** The whole definition validated at once: every problem is listed, nothing is stored on error. */
    Lists.Definition definition(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidInputException.of("body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        body.propertyNames().forEach(key -> {
            if (!KEYS.contains(key) && !READ_ONLY.contains(key)) {
                errors.add(new FieldError(key, "is not a list property (name, kind, condition)"));
            }
        });
        JsonNode nameNode = body.get("name");
        String name = null;
        if (nameNode == null || nameNode.isNull()) {
            errors.add(new FieldError("name", "is required"));
        } else if (!nameNode.isString() || nameNode.stringValue().isBlank()) {
            errors.add(new FieldError("name", "must be a non-empty text"));
        } else if (nameNode.stringValue().strip().length() > Lists.MAX_NAME) {
            errors.add(new FieldError("name", "must be at most " + Lists.MAX_NAME + " characters"));
        } else {
            name = nameNode.stringValue().strip();
        }
        JsonNode kindNode = body.get("kind");
        String kind = null;
        if (kindNode == null || kindNode.isNull()) {
            errors.add(new FieldError("kind", "is required"));
        } else if (!kindNode.isString()
                || !(Lists.STATIC.equals(kindNode.stringValue()) || Lists.DYNAMIC.equals(kindNode.stringValue()))) {
            errors.add(new FieldError("kind", "must be STATIC or DYNAMIC"));
        } else {
            kind = kindNode.stringValue();
        }
        JsonNode conditionNode = body.get("condition");
        boolean hasCondition = conditionNode != null && !conditionNode.isNull();
        Condition condition = null;
        if (Lists.DYNAMIC.equals(kind) && !hasCondition) {
            errors.add(new FieldError("condition", "is required for a dynamic list"));
        } else if (Lists.STATIC.equals(kind) && hasCondition) {
            errors.add(new FieldError("condition", "must be absent for a static list"));
        } else if (hasCondition) {
            try {
                condition = ConditionJson.parse(conditionNode, prospects.customFields(), "condition.");
                Lists.checkCompiles(condition, thresholds, clock.instant());
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Lists.Definition(name, kind, condition);
    }
}
