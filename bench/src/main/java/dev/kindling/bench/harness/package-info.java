/**
 * What every workload needs around it: a PostgreSQL to measure against, the Kindling app as
 * a separate process, the machine facts to report with each figure, and the result table.
 */
package dev.kindling.bench.harness;
