package dev.kindling.engine.grading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Condition.All;
import dev.kindling.engine.condition.Condition.Any;
import dev.kindling.engine.condition.Condition.FieldCondition;
import dev.kindling.engine.condition.Condition.Not;
import dev.kindling.engine.condition.Condition.ScoreCondition;
import dev.kindling.engine.condition.FieldType;
import dev.kindling.engine.condition.Operator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FitConditionsTest {

    static FieldCondition text(String field, Operator op, String... values) {
        return new FieldCondition(field, FieldType.TEXT, op, List.of((Object[]) values));
    }

    static FieldCondition number(String field, Operator op, long... values) {
        List<Object> operands = new ArrayList<>();
        for (long v : values) {
            operands.add(BigDecimal.valueOf(v));
        }
        return new FieldCondition(field, FieldType.NUMBER, op, operands);
    }

    @Test
    void textComparisonsIgnoreCaseAndTheBlanksAroundAValue() {
        FitFacts facts = FitFacts.of(Map.of("department", "  Marketing "));
        assertThat(FitConditions.test(text("department", Operator.EQ, "marketing"), facts))
                .isEqualTo(Outcome.MATCHED);
        assertThat(FitConditions.test(text("department", Operator.NE, "MARKETING"), facts))
                .isEqualTo(Outcome.NOT_MATCHED);
        assertThat(FitConditions.test(text("department", Operator.IN, "Sales", "marketing"), facts))
                .isEqualTo(Outcome.MATCHED);
        assertThat(FitConditions.test(text("department", Operator.NOT_IN, "Sales"), facts))
                .isEqualTo(Outcome.MATCHED);
        assertThat(FitConditions.test(text("department", Operator.CONTAINS, "KET"), facts))
                .isEqualTo(Outcome.MATCHED);
        assertThat(FitConditions.test(
                        new Any(List.of(
                                text("department", Operator.CONTAINS, "sales"),
                                text("department", Operator.CONTAINS, "mark"))),
                        facts))
                .isEqualTo(Outcome.MATCHED);
    }

    @Test
    void anyOfContainsTreatsTheWordsAsPlainTextNeverAsPatterns() {
        FitFacts facts = FitFacts.of(Map.of("jobTitle", "Head of R&D"));
        assertThat(FitConditions.test(text("jobTitle", Operator.CONTAINS, ".*"), facts))
                .isEqualTo(Outcome.NOT_MATCHED);
        assertThat(FitConditions.test(text("jobTitle", Operator.CONTAINS, "r&d"), facts))
                .isEqualTo(Outcome.MATCHED);
    }

    @Test
    void numbersCompareAsDecimalsAndBetweenIsInclusive() {
        FitFacts facts = FitFacts.of(Map.of("employees", 500L));
        assertThat(FitConditions.test(number("employees", Operator.GTE, 500), facts))
                .isEqualTo(Outcome.MATCHED);
        assertThat(FitConditions.test(number("employees", Operator.LTE, 499), facts))
                .isEqualTo(Outcome.NOT_MATCHED);
        assertThat(FitConditions.test(
                        new FieldCondition(
                                "employees",
                                FieldType.NUMBER,
                                Operator.BETWEEN,
                                List.of(BigDecimal.ONE, new BigDecimal("500.0"))),
                        facts))
                .isEqualTo(Outcome.MATCHED);
        assertThat(FitConditions.test(
                        new FieldCondition(
                                "employees",
                                FieldType.NUMBER,
                                Operator.IN,
                                List.of(BigDecimal.TEN, new BigDecimal("5E+2"))),
                        facts))
                .isEqualTo(Outcome.MATCHED);
    }

    @Test
    void aConditionIsUnknownWhenEveryFieldItReadsIsEmptyWhateverItsOperatorsAndGroups() {
        FitFacts facts = FitFacts.of(Map.of("jobTitle", "   ", "country", "JP"));
        List<Condition> onEmptyFields = List.of(
                text("jobTitle", Operator.EQ, "x"),
                text("jobTitle", Operator.NE, "x"),
                text("jobTitle", Operator.NOT_IN, "x"),
                text("jobTitle", Operator.IS_EMPTY),
                new Not(text("jobTitle", Operator.CONTAINS, "x")),
                number("employees", Operator.NE, 1),
                new Any(List.of(text("jobTitle", Operator.NE, "x"), number("account.employees", Operator.LT, 5))),
                new All(List.of(
                        new Not(text("department", Operator.EQ, "x")), text("industryOrAccount", Operator.NE, "y"))));
        for (Condition c : onEmptyFields) {
            assertThat(FitConditions.test(c, facts)).as(c.toString()).isEqualTo(Outcome.UNKNOWN);
            assertThat(FitConditions.seen(c, facts)).as(c.toString()).isNull();
        }
        // one read field with a value makes it two-valued again: "not JP" on an empty title and a known country
        Condition mixed = new Any(List.of(text("jobTitle", Operator.EQ, "x"), text("country", Operator.NE, "JP")));
        assertThat(FitConditions.test(mixed, facts)).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(FitConditions.seen(mixed, facts)).isEqualTo("country: JP");
    }

    @Test
    void onlyFieldConditionsOnTheFitFieldsAreAllowedEachRefusedAtItsPath() {
        List<Problem> problems = new ArrayList<>();
        FitConditions.check(
                new All(List.of(
                        text("jobTitle", Operator.CONTAINS, "vp"),
                        new Not(text("email", Operator.EQ, "a@b.example")),
                        new Any(List.of(new ScoreCondition(Operator.GTE, List.of(5L)))))),
                "criteria[0].condition.",
                problems);
        assertThat(problems)
                .extracting(Problem::field)
                .containsExactly("criteria[0].condition.all[1].not.field", "criteria[0].condition.all[2].any[0].score");
    }

    @Test
    void aCriterionWithoutAConditionOrWithOneReadingNoFieldIsInactive() {
        assertThat(new Criterion(0, "Target industry", null, 2).isActive()).isFalse();
        assertThat(new Criterion(0, "Empty group", new All(List.of()), 2).isActive())
                .isFalse();
        assertThat(new AssignmentRule(0, new Any(List.of()), 1).condition()).isNull();
    }

    @Test
    void criteriaNeedALabelAndAWeightOfOneTwoOrThreeThirds() {
        List<Problem> problems = new ArrayList<>();
        assertThat(Criterion.parse(0, " ", text("jobTitle", Operator.CONTAINS, "vp"), 4L, "", problems))
                .isNull();
        assertThat(problems).extracting(Problem::field).containsExactly("label", "weight");
        problems.clear();
        Criterion ok = Criterion.parse(0, " VP ", text("jobTitle", Operator.CONTAINS, "vp"), 3L, "", problems);
        assertThat(problems).isEmpty();
        assertThat(ok.label()).isEqualTo("VP");
    }
}
