/**
 * Workload W3, a retroactive automation rule ("last activity over 90 days ago → score −100") created, previewed and
 * resumed through the API over every prospect, measured side by side with one hand-written set-based {@code UPDATE}.
 */
package dev.kindling.bench.rules;
