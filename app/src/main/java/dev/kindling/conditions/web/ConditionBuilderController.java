package dev.kindling.conditions.web;

import dev.kindling.conditions.ConditionFields;
import dev.kindling.conditions.ConditionJson;
import dev.kindling.conditions.ConditionSql;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.FieldType;
import dev.kindling.engine.condition.GradeOrder;
import dev.kindling.engine.condition.Operator;
import dev.kindling.engine.condition.ProspectFacts.LostReason;
import dev.kindling.engine.condition.ProspectFacts.OpportunityStatus;
import dev.kindling.engine.condition.ProspectFacts.OpportunityType;
import dev.kindling.engine.grading.Quadrant;
import dev.kindling.engine.grading.Thresholds;
import dev.kindling.engine.lifecycle.LifecycleStage;
import dev.kindling.grading.LifecycleThresholds;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.CustomField;
import dev.kindling.prospects.CustomFieldType;
import dev.kindling.prospects.Prospects;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The JSON the condition builder ({@code static/js/condition-builder.js}) works with, for any signed-in user of
 * the UI (session cookie; the preview, a POST, also needs the CSRF token):
 * <ul>
 *   <li>{@code GET /conditions/fields}: what a condition may test: the field allow-list with each type's
 *   operators, stages, grades, quadrants, activity types, users, campaigns and lists;</li>
 *   <li>{@code POST /conditions/preview}: validates {@code {"condition": …}} (400 with every error and its path,
 *   {@code condition.all[0].op}) and answers how many prospects match it now, with a sample of ten.</li>
 * </ul>
 */
@RestController
class ConditionBuilderController {

    static final int SAMPLE = 10;
    static final String OPPORTUNITY_NOTE =
            "Only prospects with at least one opportunity can match opportunity conditions, including 'not' ones.";

    private final Prospects prospects;
    private final LifecycleThresholds lifecycle;
    private final JdbcClient jdbc;
    private final Clock clock;

    ConditionBuilderController(Prospects prospects, LifecycleThresholds lifecycle, JdbcClient jdbc, Clock clock) {
        this.prospects = prospects;
        this.lifecycle = lifecycle;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A field a condition may test, as the builder offers it. */
    record Field(String name, String label, String group, FieldType type, List<String> options) {}

    record Named(long id, String name) {}

    record Metadata(
            List<Field> fields,
            Map<FieldType, List<String>> operators,
            List<String> stages,
            List<String> grades,
            List<String> quadrants,
            List<String> activityTypes,
            List<String> opportunityStatuses,
            List<String> opportunityTypes,
            List<String> lostReasons,
            List<Named> users,
            List<Named> campaigns,
            List<Named> lists,
            boolean listsAvailable,
            String opportunityNote) {}

    record Match(long id, String email, String name) {}

    record Preview(long count, List<Match> sample, JsonNode condition) {}

    @GetMapping("/conditions/fields")
    Metadata fields() {
        Map<FieldType, List<String>> operators = new LinkedHashMap<>();
        for (FieldType type : FieldType.values()) {
            // in the declaration order of Operator, which reads naturally (eq, ne, in, …)
            operators.put(
                    type,
                    Arrays.stream(Operator.values())
                            .filter(type.operators()::contains)
                            .map(Operator::json)
                            .toList());
        }
        List<Named> lists = lists();
        return new Metadata(
                fields(prospects.customFields()),
                operators,
                Arrays.stream(LifecycleStage.values()).map(Enum::name).toList(),
                GradeOrder.GRADES,
                Arrays.stream(Quadrant.values()).map(Enum::name).toList(),
                Arrays.stream(ActivityType.values()).map(Enum::name).toList(),
                Arrays.stream(OpportunityStatus.values()).map(Enum::name).toList(),
                Arrays.stream(OpportunityType.values()).map(Enum::name).toList(),
                Arrays.stream(LostReason.values()).map(Enum::name).toList(),
                jdbc.sql("SELECT id, name FROM app_user WHERE active ORDER BY name, id")
                        .query((rs, n) -> new Named(rs.getLong(1), rs.getString(2)))
                        .list(),
                jdbc.sql("SELECT id, name FROM campaign ORDER BY name, id")
                        .query((rs, n) -> new Named(rs.getLong(1), rs.getString(2)))
                        .list(),
                lists == null ? List.of() : lists,
                lists != null,
                OPPORTUNITY_NOTE);
    }

    static List<Field> fields(Map<String, CustomField> custom) {
        List<Field> fields = new java.util.ArrayList<>();
        ConditionFields.standard().values().forEach(f -> {
            boolean account = f.name().startsWith("account.");
            String bare = account ? f.name().substring("account.".length()) : f.name();
            fields.add(new Field(f.name(), label(bare), account ? "Account" : "Prospect", f.type(), List.of()));
        });
        custom.values()
                .forEach(c -> fields.add(new Field(
                        ConditionFields.CUSTOM_PREFIX + c.name(),
                        c.label() == null || c.label().isBlank() ? c.name() : c.label(),
                        "Custom",
                        ConditionFields.typeOf(ConditionFields.CUSTOM_PREFIX + c.name(), custom),
                        c.type() == CustomFieldType.PICKLIST ? c.options() : List.of())));
        return fields;
    }

    /** "lastActivityAt" → "Last activity at". */
    static String label(String camel) {
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (i == 0) {
                label.append(Character.toUpperCase(c));
            } else if (Character.isUpperCase(c)) {
                label.append(' ').append(Character.toLowerCase(c));
            } else {
                label.append(c);
            }
        }
        return label.toString();
    }

    /** The lists conditions may name. */
    private List<Named> lists() {
        return jdbc.sql("SELECT id, name FROM list ORDER BY name, id")
                .query((rs, n) -> new Named(rs.getLong(1), rs.getString(2)))
                .list();
    }

    /** The condition to preview, in the JSON form published as JSON Schema (docs/schemas/condition.schema.json). */
    record PreviewRequest(
            @Schema(ref = "#/components/schemas/Condition") JsonNode condition) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            if (condition == null) {
                errors.add(new FieldError("condition", "is required"));
            }
        }
    }

    @PostMapping("/conditions/preview")
    Preview preview(@RequestBody PreviewRequest body) {
        Condition condition = ConditionJson.parse(body.condition(), prospects.customFields(), "condition.");
        // the MQL score and grade in force; the preview counts flames on the default thresholds
        Thresholds policy = lifecycle.current();
        Thresholds thresholds = new Thresholds(
                policy.mqlScore(),
                policy.mqlGrade(),
                Thresholds.DEFAULTS.oneFlame(),
                Thresholds.DEFAULTS.twoFlames(),
                Thresholds.DEFAULTS.threeFlames());
        ConditionSql.Compiled compiled;
        try {
            compiled = ConditionSql.compile(condition, clock.instant(), thresholds);
        } catch (InvalidInputException e) {
            // the compiler names paths within the condition; the body holds it under "condition"
            throw new InvalidInputException(e.errors().stream()
                    .map(f -> new FieldError(
                            f.field().equals("condition") ? "condition" : "condition." + f.field(), f.message()))
                    .toList());
        }
        long count = jdbc.sql("SELECT count(*) FROM " + ConditionSql.FROM + " WHERE " + compiled.sql())
                .params(compiled.params())
                .query(Long.class)
                .single();
        List<Match> sample = jdbc.sql("SELECT p.id, p.email, concat_ws(' ', NULLIF(p.first_name, ''), "
                        + "NULLIF(p.last_name, '')) FROM " + ConditionSql.FROM + " WHERE " + compiled.sql()
                        + " ORDER BY p.id DESC LIMIT " + SAMPLE)
                .params(compiled.params())
                .query((rs, n) -> new Match(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list();
        return new Preview(count, sample, ConditionJson.write(condition));
    }
}
