/**
 * The benchmark suite's entry point: one command runs one workload at one dataset size and
 * prints a result table with the machine facts (see BENCHMARKS.md and docs/benchmarks.md).
 */
package dev.kindling.bench;
