/**
 * Multi-touch attribution: an opportunity's campaign touches, its milestones and a model in, each touch's credit out,
 * exact to the cent (see docs/attribution.md).
 */
package dev.kindling.engine.attribution;
