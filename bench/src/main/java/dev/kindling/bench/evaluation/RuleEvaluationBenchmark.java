package dev.kindling.bench.evaluation;

import dev.kindling.engine.condition.CompiledConditions;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.grading.Thresholds;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * W8: {@value W8Evaluation#RULES} rules against one event and one prospect's state ({@link RuleBook}). Four ways to
 * decide them: the engine's {@code matches} per rule (the decision alone); the engine's {@code outcomes} for all rules
 * at once (the decision plus each rule's next time-relative flip), compiling the rules on each call; the same from
 * rules compiled once ({@link CompiledConditions}), which is what the event path does for each prospect of a batch;
 * and the twin, a hand-written {@code if} chain.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RuleEvaluationBenchmark {

    @Param("200")
    public int rules;

    @Param("60")
    public int history;

    private List<RuleBook.Rule> book;
    private List<Condition> conditions;
    private ProspectFacts prospect;
    private Instant now;
    private final ConditionEvaluator evaluator = new ConditionEvaluator(Thresholds.DEFAULTS);
    private CompiledConditions compiled;

    @Setup
    public void setUp() {
        now = Instant.parse("2026-12-01T12:00:00Z");
        book = RuleBook.rules(rules);
        conditions = RuleBook.conditions(book);
        prospect = RuleBook.prospect(42, history, now);
        compiled = evaluator.compile(conditions);
    }

    @Benchmark
    public void engineMatches(Blackhole sink) {
        for (Condition condition : conditions) {
            sink.consume(evaluator.matches(condition, prospect, now));
        }
    }

    @Benchmark
    public void engineOutcomes(Blackhole sink) {
        sink.consume(evaluator.outcomes(conditions, prospect, now));
    }

    @Benchmark
    public void engineCompiledOutcomes(Blackhole sink) {
        sink.consume(compiled.outcomes(prospect, now));
    }

    @Benchmark
    public void ifChain(Blackhole sink) {
        sink.consume(RuleBook.ifChain(book, prospect, now));
    }
}
