/** Workload W8, the rule-evaluation micro-benchmark (JMH): the engine's conditions next to a hand-written if chain. */
package dev.kindling.bench.evaluation;
