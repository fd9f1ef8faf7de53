package dev.kindling.engine.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {

    @Test
    void textOperatorsIgnoreCaseAndSurroundingBlanks() {
        FitFacts facts = FitFacts.of(Map.of(FitField.DEPARTMENT, "  Marketing "));
        assertThat(new Condition(FitField.DEPARTMENT, Operator.EQ, List.of("marketing")).test(facts))
                .isEqualTo(Outcome.MATCHED);
        assertThat(new Condition(FitField.DEPARTMENT, Operator.NE, List.of("MARKETING")).test(facts))
                .isEqualTo(Outcome.NOT_MATCHED);
        assertThat(new Condition(FitField.DEPARTMENT, Operator.IN, List.of("Sales", "marketing")).test(facts))
                .isEqualTo(Outcome.MATCHED);
        assertThat(new Condition(FitField.DEPARTMENT, Operator.NOT_IN, List.of("Sales")).test(facts))
                .isEqualTo(Outcome.MATCHED);
        assertThat(new Condition(FitField.DEPARTMENT, Operator.CONTAINS, List.of("KET")).test(facts))
                .isEqualTo(Outcome.MATCHED);
        assertThat(new Condition(FitField.DEPARTMENT, Operator.MATCHES_ANY, List.of("sales", "mark")).test(facts))
                .isEqualTo(Outcome.MATCHED);
    }

    @Test
    void matchesAnyTreatsValuesAsPlainTextNeverAsPatterns() {
        FitFacts facts = FitFacts.of(Map.of(FitField.JOB_TITLE, "Head of R&D"));
        assertThat(new Condition(FitField.JOB_TITLE, Operator.MATCHES_ANY, List.of(".*")).test(facts))
                .isEqualTo(Outcome.NOT_MATCHED);
        assertThat(new Condition(FitField.JOB_TITLE, Operator.MATCHES_ANY, List.of("r&d")).test(facts))
                .isEqualTo(Outcome.MATCHED);
    }

    @Test
    void numberOperatorsCompareAsDecimals() {
        FitFacts facts = FitFacts.of(Map.of(FitField.EMPLOYEES, 500L));
        assertThat(new Condition(FitField.EMPLOYEES, Operator.GTE, List.of(BigDecimal.valueOf(500))).test(facts))
                .isEqualTo(Outcome.MATCHED);
        assertThat(new Condition(FitField.EMPLOYEES, Operator.LTE, List.of(BigDecimal.valueOf(499))).test(facts))
                .isEqualTo(Outcome.NOT_MATCHED);
        assertThat(new Condition(FitField.EMPLOYEES, Operator.BETWEEN, List.of(BigDecimal.ONE, new BigDecimal("500.0")))
                        .test(facts))
                .isEqualTo(Outcome.MATCHED);
        assertThat(new Condition(FitField.EMPLOYEES, Operator.IN, List.of(BigDecimal.TEN, new BigDecimal("5E+2")))
                        .test(facts))
                .isEqualTo(Outcome.MATCHED);
    }

    @Test
    void anEmptyFieldIsUnknownWhateverTheOperator() {
        FitFacts facts = FitFacts.of(Map.of(FitField.JOB_TITLE, "   "));
        for (Operator op : List.of(Operator.EQ, Operator.NE, Operator.NOT_IN, Operator.MATCHES_ANY)) {
            assertThat(new Condition(FitField.JOB_TITLE, op, List.of("x")).test(facts))
                    .as(op.name())
                    .isEqualTo(Outcome.UNKNOWN);
        }
        assertThat(new Condition(FitField.EMPLOYEES, Operator.NE, List.of(BigDecimal.ONE)).test(facts))
                .isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void parsingReportsEveryProblemWithItsPath() {
        List<Problem> problems = new ArrayList<>();
        assertThat(Condition.parse("shoeSize", "eq", List.of("x"), "criteria[0].", problems))
                .isNull();
        assertThat(Condition.parse("jobTitle", "gte", List.of(5L), "criteria[1].", problems))
                .isNull();
        assertThat(Condition.parse("employees", "contains", List.of("x"), "criteria[2].", problems))
                .isNull();
        assertThat(Condition.parse("employees", "between", List.of(9L, 1L), "criteria[3].", problems))
                .isNull();
        assertThat(Condition.parse("employees", "gte", List.of("many"), "criteria[4].", problems))
                .isNull();
        assertThat(Condition.parse("jobTitle", "regex", "x", "criteria[5].", problems))
                .isNull();
        assertThat(Condition.parse("country", "eq", List.of("JP", "US"), "criteria[6].", problems))
                .isNull();
        assertThat(problems)
                .extracting(Problem::field)
                .containsExactly(
                        "criteria[0].field",
                        "criteria[1].operator",
                        "criteria[1].values[0]",
                        "criteria[2].operator",
                        "criteria[2].values[0]",
                        "criteria[3].values",
                        "criteria[4].values[0]",
                        "criteria[5].operator",
                        "criteria[5].values",
                        "criteria[6].values");
    }

    @Test
    void aConditionWithoutValuesIsInactive() {
        List<Problem> problems = new ArrayList<>();
        Condition condition = Condition.parse("industry", "in", List.of(), "", problems);
        assertThat(problems).isEmpty();
        assertThat(condition.isActive()).isFalse();
        assertThat(Condition.parse("industry", "in", null, "", problems).isActive())
                .isFalse();
    }

    @Test
    void criteriaNeedALabelAndAWeightOfOneTwoOrThreeThirds() {
        List<Problem> problems = new ArrayList<>();
        assertThat(Criterion.parse(0, " ", "jobTitle", "contains", List.of("vp"), 4L, "", problems))
                .isNull();
        assertThat(problems).extracting(Problem::field).containsExactly("label", "weight");
        problems.clear();
        Criterion ok = Criterion.parse(0, " VP ", "jobTitle", "contains", List.of("vp"), 3L, "", problems);
        assertThat(problems).isEmpty();
        assertThat(ok.label()).isEqualTo("VP");
    }
}
