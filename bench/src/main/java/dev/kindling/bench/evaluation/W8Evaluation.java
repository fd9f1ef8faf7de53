package dev.kindling.bench.evaluation;

import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.ConditionEvaluator;
import dev.kindling.engine.condition.ProspectFacts;
import dev.kindling.engine.grading.Thresholds;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * W8, the rule-evaluation micro-benchmark: runs {@link RuleEvaluationBenchmark} with JMH (one fork, 10 × 1 s warm-up,
 * 10 × 1 s measured) and prints each form's time per event — the mean and the median of the measured iterations — and
 * their ratios to the hand-written {@code if} chain, and the bytes each allocates per event (JMH's GC profiler). On a shared machine the median is the steadier figure: one
 * iteration that met another process's burst moves the mean by its whole excess. First it
 * checks that the engine and the chain decide every rule the same for a few prospects (prints {@code verified}).
 */
public final class W8Evaluation {

    static final int RULES = 200;

    private final PrintStream log;

    public W8Evaluation(PrintStream log) {
        this.log = log;
    }

    public String run(String command) throws Exception {
        verify();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .include(RuleEvaluationBenchmark.class.getName())
                        .forks(1)
                        .warmupIterations(10)
                        .warmupTime(TimeValue.seconds(1))
                        .measurementIterations(10)
                        .measurementTime(TimeValue.seconds(1))
                        .jvmArgs("-Xmx1g")
                        .addProfiler(GCProfiler.class)
                        .build())
                .run();
        Map<String, double[]> byName = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            byName.put(name.substring(name.lastIndexOf('.') + 1), new double[] {
                r.getPrimaryResult().getScore(),
                r.getPrimaryResult().getScoreError(),
                r.getPrimaryResult().getStatistics().getPercentile(50),
                allocated(r)
            });
        }
        double[] chain = byName.get("ifChain");
        StringBuilder out = new StringBuilder("\n| W8 form (" + RULES + " rules, one event, one prospect with 60 "
                + "activities) | mean µs per event | ± (99.9 %) | median µs | ratio to the if chain (mean) "
                + "| ratio (median) | bytes allocated per event |\n|---|---|---|---|---|---|---|\n");
        for (String name : List.of("engineMatches", "engineOutcomes", "engineCompiledOutcomes", "ifChain")) {
            double[] r = byName.get(name);
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %,.0f |%n",
                    name,
                    r[0],
                    r[1],
                    r[2],
                    r[0] / chain[0],
                    r[2] / chain[2],
                    r[3]));
        }
        out.append("\nload average: ")
                .append(MachineFacts.currentLoadAverage())
                .append("\ncommand: `")
                .append(command)
                .append("`\n");
        return out.toString();
    }

    /**
     * Bytes allocated per event ({@link GCProfiler}'s {@code gc.alloc.rate.norm}): unlike the times, this does not move
     * with the machine's load. NaN when the JVM does not report it.
     */
    private static double allocated(RunResult r) {
        return r.getSecondaryResults().entrySet().stream()
                .filter(e -> e.getKey().endsWith("gc.alloc.rate.norm"))
                .mapToDouble(e -> e.getValue().getScore())
                .findFirst()
                .orElse(Double.NaN);
    }

    /** The engine's conditions and the hand-written chain decide the same, for prospects of several histories. */
    int verify() {
        List<RuleBook.Rule> book = RuleBook.rules(RULES);
        List<Condition> conditions = RuleBook.conditions(book);
        ConditionEvaluator evaluator = new ConditionEvaluator(Thresholds.DEFAULTS);
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        int matched = 0;
        for (long seed = 1; seed <= 50; seed++) {
            ProspectFacts prospect = RuleBook.prospect(seed, (int) (seed * 3), now);
            boolean[] chain = RuleBook.ifChain(book, prospect, now);
            for (int i = 0; i < chain.length; i++) {
                if (evaluator.matches(conditions.get(i), prospect, now) != chain[i]) {
                    throw new IllegalStateException("rule " + i + " differs for prospect " + seed);
                }
                matched += chain[i] ? 1 : 0;
            }
        }
        log.printf("W8: verified: engine and if chain agree on %d rules × 50 prospects (%d matches)%n", RULES, matched);
        return matched;
    }
}
