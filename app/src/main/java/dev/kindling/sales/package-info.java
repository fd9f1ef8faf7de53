/**
 * Sales handoff after assignment: the inside-sales queue and the sales view of a lead, attempts, accept / reject /
 * convert, the SLA on every handoff (state per lead, the due-time sweeper, breach notices), the SLA report and the
 * weekly sales–marketing review dashboard.
 */
package dev.kindling.sales;
