package dev.kindling.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.networknt.schema.Error;
import dev.kindling.automation.ActionJson;
import dev.kindling.conditions.ConditionJson;
import dev.kindling.engine.automation.Action;
import dev.kindling.engine.program.ProgramTemplate;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.support.JsonSchemaFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON Schemas published in docs/schemas describe the formats the codecs read: the documented examples and what
 * the app writes validate, and a condition the API refuses as malformed is refused by the schema at the same place.
 */
class PublishedJsonSchemasTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(
            strings = {
                """
        {"all": [
          {"field": "industry", "op": "in", "value": ["Software", "Finance"]},
          {"score": {"gte": 50}},
          {"activity": {"type": "EMAIL_CLICK", "atLeast": 2, "withinDays": 30}},
          {"not": {"stage": {"in": ["DISQUALIFIED"]}}}
        ]}""",
                "{\"grade\": {\"isEmpty\": true}}",
                "{\"quadrant\": {\"in\": [\"HOT\"]}}",
                "{\"owner\": {\"in\": [3, 4]}}",
                "{\"list\": {\"memberOf\": 12}}",
                """
        {"activity": {"type": "EMAIL_CLICK", "urlContains": "pricing", "formName": "Contact", "emailId": "e1",
          "campaignId": 3, "customName": "Trial", "atLeast": 2, "withinDays": 30}}""",
                "{\"daysSinceLastActivity\": {\"gte\": 90}}",
                """
        {"opportunity": {"status": ["LOST"], "closedWithinDays": 90, "minAmount": 1000, "type": "NEW_BUSINESS",
          "lostReason": ["PRICE", "COMPETITOR"]}}""",
                "{\"program\": {\"enrolledIn\": 5, \"state\": \"ACTIVE\"}}",
                "{\"field\": \"employees\", \"op\": \"between\", \"value\": [10, 500]}",
                "{\"field\": \"country\", \"op\": \"isEmpty\"}",
                "{\"field\": \"capturedAt\", \"op\": \"withinDays\", \"value\": 14}"
            })
    void theDocumentedConditionsValidateAndTheApiReadsThem(String condition) {
        JsonNode json = JSON.readTree(condition);
        assertThat(JsonSchemaFiles.problems("condition", json)).isEmpty();
        assertThat(ConditionJson.parse(json, Map.of(), "")).isNotNull();
    }

    /** Each malformed condition: the API's error path, and the schema refuses it at that path or the object holding it. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"all\":[{\"field\":\"industry\",\"op\":\"bogus\",\"value\":\"x\"}]}                | all[0].op",
                "{\"score\":{\"gte\":\"fifty\"}}                                                      | score.gte",
                "{\"activity\":{\"type\":\"EMAIL_CLICK\",\"withinDays\":0}}                           | activity.withinDays",
                "{\"activity\":{\"type\":\"EMAIL_CLICK\",\"colour\":1}}                               | activity.colour",
                "{\"stage\":{\"in\":[\"NOPE\"]}}                                                      | stage.in[0]",
                "{\"list\":{\"memberOf\":0}}                                                          | list.memberOf",
                "{\"all\":[{\"grade\":{\"gte\":\"Z\"}}]}                                              | all[0].grade.gte",
                "{\"colour\":\"red\"}                                                                 | colour",
                "{\"field\":\"password\",\"op\":\"eq\",\"value\":\"x\"}                               | field",
                "{\"field\":\"optedOut\",\"op\":\"contains\",\"value\":\"x\"}                         | op",
                "{\"owner\":{\"assigned\":\"yes\"}}                                                   | owner.assigned",
                "{\"opportunity\":{\"status\":\"PENDING\"}}                                           | opportunity.status"
            })
    void whatTheApiRefusesAsMalformedTheSchemaRefusesAtTheSamePlace(String condition, String apiPath) {
        JsonNode json = JSON.readTree(condition);
        InvalidInputException refused =
                catchThrowableOfType(InvalidInputException.class, () -> ConditionJson.parse(json, Map.of(), ""));
        assertThat(refused).as("the API refuses " + condition).isNotNull();
        assertThat(refused.errors()).extracting(e -> e.field()).contains(apiPath);

        List<Error> problems = JsonSchemaFiles.problems("condition", json);
        assertThat(problems).as("the schema refuses " + condition).isNotEmpty();
        assertThat(problems)
                .extracting(p -> apiPath(p.getInstanceLocation().toString()))
                .as(condition + " → "
                        + problems.stream()
                                .map(p -> p.getInstanceLocation() + " " + p.getMessage())
                                .toList())
                .anySatisfy(at -> assertThat(apiPath.equals(at)
                                || apiPath.startsWith(at + ".")
                                || apiPath.startsWith(at + "[")
                                || at.isEmpty() && !apiPath.contains("."))
                        .isTrue());
    }

    @Test
    void twoKindsInOneObjectAreRefusedByBoth() {
        JsonNode json = JSON.readTree("{\"all\":[],\"any\":[]}");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> ConditionJson.parse(json, Map.of(), "")))
                .isNotNull();
        assertThat(JsonSchemaFiles.problems("condition", json)).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"adjustScore\",\"points\":10}",
                "{\"type\":\"setScore\",\"score\":0}",
                "{\"type\":\"setField\",\"field\":\"department\",\"value\":\"Ops\"}",
                "{\"type\":\"addToList\",\"listId\":4}",
                "{\"type\":\"addToProgram\",\"programId\":2}",
                "{\"type\":\"createTask\",\"subject\":\"Call back\",\"dueInHours\":24}",
                "{\"type\":\"changeStage\",\"stage\":\"SAL\"}",
                "{\"type\":\"setDoNotEmail\"}",
                "{\"type\":\"callWebhook\",\"url\":\"https://hooks.example.com/x\"}",
                "{\"type\":\"notifyUser\",\"userId\":3,\"subject\":\"Hot lead\",\"message\":\"Call now\"}",
                "{\"type\":\"notifyUser\",\"userId\":\"owner\",\"message\":\"Call now\"}",
                "{\"type\":\"assign\",\"teamId\":2}",
                "{\"type\":\"assign\",\"territoryRules\":true,\"forced\":false}",
                "{\"type\":\"createTask\",\"subject\":\"Call back\",\"userId\":\"owner\"}",
                "{\"type\":\"sendEmail\",\"templateId\":\"12\"}"
            })
    void theDocumentedActionsValidate(String action) {
        assertThat(JsonSchemaFiles.problems("action", JSON.readTree(action))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"adjustScore\",\"points\":0}",
                "{\"type\":\"adjustScore\",\"points\":\"ten\"}",
                "{\"type\":\"addToList\"}",
                "{\"type\":\"setScore\",\"score\":5,\"extra\":1}",
                "{\"type\":\"teleport\"}",
                "{\"points\":10}",
                "{\"type\":\"notify\",\"message\":\"the programs' old name\"}",
                "{\"type\":\"assign\",\"to\":\"TEAM\",\"id\":2}",
                "{\"type\":\"assign\",\"teamId\":2,\"userId\":3}",
                "{\"type\":\"notifyUser\",\"userId\":\"someone\",\"message\":\"x\"}"
            })
    void malformedActionsAreRefused(String action) {
        assertThat(JsonSchemaFiles.problems("action", JSON.readTree(action))).isNotEmpty();
    }

    /** One action of every kind, as the one codec writes it for a rule, a completion action or a program step. */
    static final List<Action> EVERY_KIND = List.of(
            new Action.SendEmail("12"),
            new Action.AdjustScore(-5),
            new Action.SetScore(40),
            new Action.SetField("custom.since", java.time.LocalDate.of(2024, 5, 1)),
            new Action.AddToList(3),
            new Action.RemoveFromList(3),
            new Action.ChangeStage(dev.kindling.engine.lifecycle.LifecycleStage.MQL),
            new Action.SetDoNotEmail(true),
            new Action.SyncToCrm(),
            new Action.CallWebhook("https://hooks.example.com/x"),
            new Action.NotifyUser(null, null, "A program's notice"),
            new Action.NotifyUser(7L, "Hot: {{email}}", "Call {{firstName}}"),
            new Action.Assign(Action.AssignTo.TEAM, 2L, false),
            new Action.Assign(Action.AssignTo.USER, 4L, true),
            new Action.Assign(Action.AssignTo.TERRITORY_RULES, null, false),
            new Action.AddToProgram(9),
            new Action.RemoveFromProgram(9),
            new Action.CreateTask("Call back", 24, null));

    @Test
    void everyActionKindAsTheCodecWritesItValidatesAndReadsBackTheSame() {
        assertThat(EVERY_KIND.stream().map(Object::getClass).distinct())
                .as("every kind of the one action model")
                .containsExactlyInAnyOrder(Action.class.getPermittedSubclasses());
        for (Action action : EVERY_KIND) {
            JsonNode written = JSON.valueToTree(ActionJson.write(action));
            assertThat(JsonSchemaFiles.problems("action", written))
                    .as(written.toString())
                    .isEmpty();
            Action read = ActionJson.storedAction(written);
            assertThat(read instanceof Action.SetField f ? f.value().toString() : read)
                    .as(written.toString())
                    .isEqualTo(action instanceof Action.SetField f ? f.value().toString() : action);
        }
    }

    @ParameterizedTest
    @EnumSource(ProgramTemplate.class)
    void everyReadyMadeProgramAsTheApiWritesItValidates(ProgramTemplate template) {
        JsonNode definition = ProgramJson.write(template.create(1));
        assertThat(JsonSchemaFiles.problems("program", definition))
                .as(definition.toString())
                .isEmpty();
    }

    @Test
    void aProgramWithoutStepsOrWithAMalformedRuleConditionIsRefused() {
        assertThat(JsonSchemaFiles.problems("program", JSON.readTree("{\"name\":\"x\",\"start\":\"a\"}")))
                .isNotEmpty();
        assertThat(JsonSchemaFiles.problems("program", JSON.readTree("""
                {"name":"x","start":"a","steps":[{"id":"a","type":"RULE","condition":{"score":{"gte":"x"}},"yes":"b"},
                 {"id":"b","type":"END"}]}"""))).isNotEmpty();
    }

    /** {@code /all/0/op} (the library's instance location, a JSON pointer) as the API writes it: {@code all[0].op}. */
    private static String apiPath(String pointer) {
        StringBuilder path = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty() || part.equals("$")) {
                continue;
            }
            if (part.chars().allMatch(Character::isDigit)) {
                path.append('[').append(part).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(part);
            }
        }
        return path.toString();
    }
}
