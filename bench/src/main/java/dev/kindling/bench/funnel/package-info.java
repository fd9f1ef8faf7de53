/**
 * W6, the lifecycle funnel report: a funnel-shaped stage history generated for the dataset's prospects, the
 * app's {@code /api/v1/reports/lifecycle} timed warm next to a hand-written SQL twin computing the same numbers.
 */
package dev.kindling.bench.funnel;
