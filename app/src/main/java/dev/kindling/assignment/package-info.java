/**
 * Assignment of prospects to owners: round-robin within a team, territory rules, direct assignment; the setting of
 * each stage entry (MQL, SQL), territories and teams' API and pages, the owner API and the record of every
 * assignment ({@code assignment} table, {@link dev.kindling.assignment.ProspectsAssigned} event).
 */
package dev.kindling.assignment;
