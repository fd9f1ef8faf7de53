/**
 * Workload W5, nurture programs: a running program with enrollments for every prospect, a tenth of them made due at
 * the same instant, drained by the app's program sweeper, measured side by side with a batched {@code UPDATE} of the
 * same rows.
 */
package dev.kindling.bench.nurture;
