/**
 * Closed-loop analysis: which actions and fit values of a prospect cohort predict won deals, the points and criteria
 * that follow from it, and an honest check of both models on held-out prospects. Pure functions, no I/O.
 */
package dev.kindling.engine.closedloop;
