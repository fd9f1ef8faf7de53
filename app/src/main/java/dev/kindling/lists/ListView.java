package dev.kindling.lists;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A list as the API shows it.
 *
 * @param kind      STATIC or DYNAMIC
 * @param condition the condition of a dynamic list (its JSON form), null for a static one
 * @param members   how many prospects are members now
 * @param rebuild   after a create or edit of a dynamic list, what rebuilding its members did; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListView(
        long id,
        String name,
        String kind,
        JsonNode condition,
        long members,
        Instant createdAt,
        Instant updatedAt,
        ListRebuild rebuild) {

    ListView withRebuild(ListRebuild done) {
        return new ListView(id, name, kind, condition, members, createdAt, updatedAt, done);
    }
}
