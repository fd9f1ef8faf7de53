/**
 * Reports over the whole prospect base: the Prospect Lifecycle Report (funnel counts, conversion,
 * velocity and inventory, as cohort or flow, optionally segmented), and the KPI dashboard (SPEC §13's funnel
 * metrics with the previous period and a trend); their APIs, CSV exports and pages.
 */
package dev.kindling.reports;
