package dev.kindling.bench.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.condition.Condition;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleBookTest {

    @Test
    void theTwoHundredRulesAreDistinctConditionsOfTheFiveShapes() {
        List<RuleBook.Rule> rules = RuleBook.rules(200);
        List<Condition> conditions = RuleBook.conditions(rules);
        assertThat(new HashSet<>(conditions)).hasSize(200);
        assertThat(rules).extracting(RuleBook.Rule::shape).containsOnly(0, 1, 2, 3, 4);
    }

    @Test
    void theEngineAndTheHandWrittenChainDecideEveryRuleTheSameAndSomeRulesMatch() {
        int matched = new W8Evaluation(new PrintStream(OutputStream.nullOutputStream())).verify();
        assertThat(matched).as("matches of 200 rules × 50 prospects").isBetween(1, 200 * 50 - 1);
    }
}
