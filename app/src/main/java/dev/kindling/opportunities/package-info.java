/**
 * Built-in opportunities and their contact roles (SPEC §1, §10): the deals sales works, the prospects on them, and
 * their effects on the funnel — created (with the prospect as a contact role) → SQL and the "opportunity created"
 * scoring rule; won → CUSTOMER; every opportunity of a prospect lost → RECYCLED and the "opportunity lost" rule.
 * Only the sales roles write them (API and UI); everyone reads them, and conditions see them with any-opportunity
 * semantics. See {@code docs/opportunities.md}.
 */
package dev.kindling.opportunities;
