/**
 * Kindling's decisions as plain Java: no framework, no database, no network and no clock of
 * its own. The app loads state in batches, calls the engine with data and the current instant,
 * and writes the results in batches.
 */
package dev.kindling.engine;
