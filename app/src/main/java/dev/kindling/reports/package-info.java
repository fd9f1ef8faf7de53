/**
 * Reports over the whole prospect base: the Prospect Lifecycle Report (funnel counts, conversion,
 * velocity and inventory, as cohort or flow, optionally segmented), its API, CSV export and page.
 */
package dev.kindling.reports;
