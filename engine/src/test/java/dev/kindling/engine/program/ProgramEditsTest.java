package dev.kindling.engine.program;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.automation.Action.AdjustScore;
import dev.kindling.engine.automation.Action.SendEmail;
import dev.kindling.engine.condition.Condition.ScoreCondition;
import dev.kindling.engine.condition.Operator;
import dev.kindling.engine.program.Step.ActionStep;
import dev.kindling.engine.program.Step.EndStep;
import dev.kindling.engine.program.Step.RuleStep;
import dev.kindling.engine.program.Step.WaitStep;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgramEditsTest {

    static final ScoreCondition HOT = new ScoreCondition(Operator.GTE, List.of(50L));

    /** mail → hot? (yes: end, no: wait → end) */
    static ProgramDefinition program() {
        return ProgramDefinition.builder(1, "Nurture", "mail")
                .recipients(5L)
                .step(new ActionStep("mail", new SendEmail("t1"), "hot"))
                .step(new RuleStep("hot", HOT, "end", "wait"))
                .step(WaitStep.days("wait", 3, "end"))
                .step(new EndStep("end"))
                .build();
    }

    @Test
    void aStepInsertedAfterAStepGoesOnWhereThatStepWentAndMakesANewVersion() {
        ProgramDefinition edited = program().insert("mail", "next", new ActionStep("bump", new AdjustScore(5), null));

        assertThat(edited.version()).isEqualTo(2);
        assertThat(edited.step("mail").target("next")).isEqualTo("bump");
        assertThat(edited.step("bump").target("next")).isEqualTo("hot");
        assertThat(ProgramValidator.validate(edited)).isEmpty();
    }

    @Test
    void aBranchingStepInsertedOnABranchSendsBothItsBranchesOnward() {
        ProgramDefinition edited = program().insert("hot", "no", new RuleStep("warm", HOT, null, null));

        assertThat(edited.step("hot").target("yes")).isEqualTo("end");
        assertThat(edited.step("hot").target("no")).isEqualTo("warm");
        assertThat(edited.step("warm").branches())
                .extracting(Step.Branch::target)
                .containsExactly("wait", "wait");
        assertThat(ProgramValidator.validate(edited)).isEmpty();
    }

    @Test
    void aStepInsertedAtTheStartBecomesTheFirstStep() {
        ProgramDefinition edited = program().insert(null, "start", WaitStep.days("pause", 1, null));

        assertThat(edited.start()).isEqualTo("pause");
        assertThat(edited.step("pause").target("next")).isEqualTo("mail");
    }

    @Test
    void aStepInsertedAfterAMissingStepLeadsNowhereAndTheValidatorSaysSo() {
        ProgramDefinition edited = program().insert("ghost", "next", new ActionStep("bump", new AdjustScore(5), null));

        assertThat(edited.step("bump").target("next")).isNull();
        assertThat(ProgramValidator.validate(edited))
                .extracting(ProgramError::stepId)
                .contains("bump");
    }

    @Test
    void aRemovedStepsParentsGoOnToItsFirstBranch() {
        ProgramDefinition edited = program().remove("wait");

        assertThat(edited.version()).isEqualTo(2);
        assertThat(edited.step("wait")).isNull();
        assertThat(edited.step("hot").target("no")).isEqualTo("end");
        assertThat(ProgramValidator.validate(edited)).isEmpty();
        assertThat(program().remove("hot").step("mail").target("next")).isEqualTo("end");
    }

    @Test
    void removingTheFirstStepStartsAtWhereItLed() {
        ProgramDefinition edited = program().remove("mail");

        assertThat(edited.start()).isEqualTo("hot");
        assertThat(edited.steps()).extracting(Step::id).containsExactly("hot", "wait", "end");
    }

    @Test
    void removingAnEndLeavesItsParentsLeadingNowhereWhichIsRefused() {
        ProgramDefinition edited = program().remove("end");

        assertThat(edited.step("hot").target("yes")).isNull();
        assertThat(ProgramValidator.validate(edited)).isNotEmpty();
    }

    @Test
    void anEditedStepKeepsTheOldTargetsOfTheBranchesItDoesNotChoose() {
        ProgramDefinition edited =
                program().edit(new RuleStep("hot", new ScoreCondition(Operator.GTE, List.of(80L)), null, "end"));

        RuleStep hot = (RuleStep) edited.step("hot");
        assertThat(hot.condition()).isEqualTo(new ScoreCondition(Operator.GTE, List.of(80L)));
        assertThat(hot.yes()).isEqualTo("end");
        assertThat(hot.no()).isEqualTo("end");
        assertThat(edited.steps()).extracting(Step::id).containsExactly("mail", "hot", "wait", "end");
    }

    @Test
    void theEditedVersionLeavesTheVersionItCameFromUnchanged() {
        ProgramDefinition original = program();
        original.remove("hot");
        original.insert("mail", "next", new ActionStep("bump", new AdjustScore(5), null));

        assertThat(original.version()).isEqualTo(1);
        assertThat(original.steps()).extracting(Step::id).containsExactly("mail", "hot", "wait", "end");
    }
}
