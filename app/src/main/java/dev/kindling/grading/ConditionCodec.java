package dev.kindling.grading;

import dev.kindling.engine.condition.Condition;
import tools.jackson.databind.JsonNode;

/**
 * The condition language's JSON form (docs/conditions.md) as grading reads and writes it for its criteria and
 * assignment rules, and the one description of a condition in words that pages show. The {@code conditions} module
 * implements it: it depends on grading (grade changes, thresholds), so grading names only this seam, never the codec
 * itself.
 */
public interface ConditionCodec {

    /**
     * The condition {@code json} describes, with no custom fields defined.
     *
     * @param prefix prepended to every error path, e.g. {@code criteria[0].condition.}
     * @throws dev.kindling.platform.web.InvalidInputException listing every problem with its path
     */
    Condition read(JsonNode json, String prefix);

    /** The JSON form of {@code condition}. */
    JsonNode write(Condition condition);

    /**
     * The condition as a short sentence in the signed-in user's language, as every page shows conditions (plain text:
     * pages escape it).
     */
    String describe(Condition condition);
}
