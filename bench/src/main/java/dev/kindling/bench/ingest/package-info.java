/**
 * Workload W1, sustained ingest: activities sent through the public API until fully
 * processed, measured side by side with a raw {@code COPY} of the same rows into the same table.
 */
package dev.kindling.bench.ingest;
