/**
 * Writes a generated dataset into Kindling's tables with PostgreSQL {@code COPY}: the
 * benchmark's setup and twin, and the app's demo data, share this one mapping.
 */
package dev.kindling.dataset.load;
