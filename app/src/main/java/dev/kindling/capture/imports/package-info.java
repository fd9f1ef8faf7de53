/**
 * CSV imports: prospects (column mapping, dedup by email, a result per row, bad rows never
 * abort good ones) and historical activities with their original timestamps.
 */
package dev.kindling.capture.imports;
