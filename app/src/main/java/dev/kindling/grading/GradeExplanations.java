package dev.kindling.grading;

import dev.kindling.platform.web.NotFoundException;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads a prospect's stored grade with its explanation, for the API and the prospect page. */
@Component
class GradeExplanations {

    private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() {};

    /** The profile that graded a prospect. */
    record ProfileRef(long id, String name) {}

    /**
     * A grade and why: {@code explanation} has one entry per active criterion of the profile, in
     * profile order: {@code criterionId, label, field, outcome (MATCHED / NOT_MATCHED / UNKNOWN),
     * seen (the value, null when unknown), weight (thirds), effect (+weight, −weight or 0)}.
     * Grades start at {@code start} and are clamped to F..A+.
     */
    record Explained(
            long prospectId, String grade, String start, ProfileRef profile, List<Map<String, Object>> explanation) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;

    GradeExplanations(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Explained of(long prospectId) {
        return jdbc.sql("""
                        SELECT p.id, p.grade, g.id AS profile_id, g.name AS profile_name, p.grade_explanation::text
                          FROM prospect p LEFT JOIN grading_profile g ON g.id = p.grading_profile_id
                         WHERE p.id = :id""")
                .param("id", prospectId)
                .query((rs, n) -> {
                    long profileId = rs.getLong("profile_id");
                    ProfileRef profile = rs.wasNull() ? null : new ProfileRef(profileId, rs.getString("profile_name"));
                    String text = rs.getString(5);
                    return new Explained(
                            rs.getLong(1),
                            rs.getString(2),
                            "D",
                            profile,
                            text == null ? List.of() : json.readValue(text, LIST));
                })
                .optional()
                .orElseThrow(() -> new NotFoundException("No prospect " + prospectId));
    }
}
