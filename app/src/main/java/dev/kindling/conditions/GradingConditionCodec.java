package dev.kindling.conditions;

import dev.kindling.engine.condition.Condition;
import dev.kindling.grading.ConditionCodec;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@link ConditionJson} for grading's criteria and assignment rules, which read no custom fields; described in words
 * by the one {@link ConditionDescriber}.
 */
@Component
class GradingConditionCodec implements ConditionCodec {

    private final ConditionDescriber describer;

    GradingConditionCodec(ConditionDescriber describer) {
        this.describer = describer;
    }

    @Override
    public Condition read(JsonNode json, String prefix) {
        return ConditionJson.parse(json, Map.of(), prefix);
    }

    @Override
    public JsonNode write(Condition condition) {
        return ConditionJson.write(condition);
    }

    @Override
    public String describe(Condition condition) {
        return describer.describe(condition);
    }
}
