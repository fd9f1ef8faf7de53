package dev.kindling.conditions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.grading.Thresholds;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ConditionJsonTest {

    private final JsonMapper json = JsonMapper.builder().build();

    private Condition parse(String text) {
        return ConditionJson.parse(json.readTree(text.replace('\'', '"')), RandomConditions.CUSTOM_FIELDS, "");
    }

    private List<FieldError> errors(String text) {
        try {
            parse(text);
        } catch (InvalidInputException e) {
            return e.errors();
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void readsTheDocumentedExampleAndWritesItBack() {
        String example = "{'all':[{'field':'industry','op':'in','value':['Software','Finance']},{'score':{'gte':50}},"
                + "{'activity':{'type':'EMAIL_CLICK','atLeast':2,'withinDays':30}},{'not':{'stage':{'in':['DISQUALIFIED']}}}]}";

        Condition condition = parse(example);

        assertThat(json.writeValueAsString(ConditionJson.write(condition))).isEqualTo(example.replace('\'', '"'));
    }

    @Test
    void reportsEachProblemWithItsPath() {
        assertThat(errors("{'all':[{'score':{'gte':1}},{'score':{'gte':1}},{'activity':{'withinDays':0}}]}"))
                .extracting(FieldError::field)
                .containsExactly("all[2].activity.withinDays");
        assertThat(errors("{'all':[{'field':'salary','op':'eq','value':1}]}"))
                .extracting(FieldError::field)
                .containsExactly("all[0].field");
        assertThat(errors("{'field':'industry','op':'gt','value':'a'}"))
                .extracting(FieldError::field)
                .containsExactly("op");
        assertThat(errors("{'field':'employees','op':'eq','value':'ten'}"))
                .extracting(FieldError::field)
                .containsExactly("value");
        assertThat(errors("{'field':'industry','op':'eq','value':'a','regex':'.*'}"))
                .extracting(FieldError::field)
                .containsExactly("regex");
        assertThat(errors("{'any':[{'score':{'gte':1}}],'all':[]}"))
                .extracting(FieldError::field)
                .containsExactly("condition");
        assertThat(errors("{'matches':'.*'}")).extracting(FieldError::field).containsExactly("matches");
    }

    @Test
    void refusesConditionsBeyondTheLimits() {
        String deep = "{'not':".repeat(11) + "{'score':{'gte':1}}" + "}".repeat(11);
        assertThat(errors(deep)).extracting(FieldError::message).anyMatch(m -> m.contains("deeper than 10"));

        String wide = "{'any':[" + String.join(",", java.util.Collections.nCopies(201, "{'score':{'gte':1}}")) + "]}";
        assertThat(errors(wide)).extracting(FieldError::message).anyMatch(m -> m.contains("more than 200"));

        assertThat(errors("{'field':'industry','op':'eq','value':'" + "x".repeat(501) + "'}"))
                .extracting(FieldError::message)
                .anyMatch(m -> m.contains("at most 500"));

        String many = String.join(",", java.util.Collections.nCopies(1001, "'a'"));
        assertThat(errors("{'field':'industry','op':'in','value':[" + many + "]}"))
                .extracting(FieldError::message)
                .anyMatch(m -> m.contains("at most 1000"));
    }

    @Test
    void setBasedEvaluationRefusesLeavesWhoseTablesDoNotExistYet() {
        Condition condition = parse(
                "{'any':[{'score':{'gte':1}},{'list':{'memberOf':3}}," + "{'not':{'program':{'enrolledIn':5}}}]}");

        assertThatThrownBy(() -> ConditionSql.compile(condition, Instant.EPOCH, Thresholds.DEFAULTS))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .containsExactly("any[2].not.program"));
    }

    @Test
    void aNegatedOpportunityLeafCompilesToHasOneAndNoneMatchesWithEveryValueBound() {
        ConditionSql.Compiled compiled = ConditionSql.compile(
                parse("{'not':{'opportunity':{'status':'LOST','minAmount':1000,'closedWithinDays':90}}}"),
                Instant.EPOCH,
                Thresholds.DEFAULTS);

        assertThat(compiled.sql())
                .startsWith("(EXISTS (SELECT 1 FROM opportunity_contact_role r WHERE r.prospect_id = p.id)")
                .contains("AND NOT EXISTS (SELECT 1 FROM opportunity_contact_role r JOIN opportunity o")
                .doesNotContain("LOST")
                .doesNotContain("1000");
        assertThat(compiled.params()).containsValues("LOST", new java.math.BigDecimal("1000"));
    }

    @Test
    void listMembershipCompilesToAnExistsOnListMembersWithTheListIdBound() {
        ConditionSql.Compiled compiled =
                ConditionSql.compile(parse("{'list':{'memberOf':3}}"), Instant.EPOCH, Thresholds.DEFAULTS);

        assertThat(compiled.sql())
                .contains("EXISTS (SELECT 1 FROM list_member m")
                .doesNotContain("3");
        assertThat(compiled.params()).containsValue(3L);
    }

    @Test
    void compiledSqlCarriesUserTextOnlyAsBindParameters() {
        String hostile = "x'); DROP TABLE prospect; --";
        Condition condition =
                parse("{'all':[{'field':'custom.tier','op':'contains','value':'" + hostile.replace("'", "\\u0027")
                        + "'},{'activity':{'urlContains':'" + hostile.replace("'", "\\u0027") + "'}}]}");

        ConditionSql.Compiled compiled = ConditionSql.compile(condition, Instant.EPOCH, Thresholds.DEFAULTS);

        assertThat(compiled.sql()).doesNotContain("DROP").doesNotContain("tier");
        assertThat(compiled.params()).containsValue(hostile).containsValue("tier");
    }
}
