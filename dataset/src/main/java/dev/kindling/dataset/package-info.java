/**
 * The seeded, deterministic dataset generator: campaigns, accounts, prospects and a streamed
 * activity history, identical for the same size, seed and period end. The benchmarks and the
 * demo data both come from here.
 */
package dev.kindling.dataset;
