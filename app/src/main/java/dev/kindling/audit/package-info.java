/**
 * The audit log: who changed what configuration or which prospect by hand, when, before and after. Owners call
 * {@link dev.kindling.audit.AuditLog#record} in their write transaction; the table is append-only (see
 * {@code docs/audit.md}).
 */
package dev.kindling.audit;
