/**
 * The sales SLA: when a handed-off lead must be first contacted, how far along that window is (ON_TRACK, AT_RISK,
 * BREACHED, MET), working time under optional business hours, and when the state can change next. Pure functions
 * of the policy and the instants the caller passes; the engine never reads a clock.
 */
package dev.kindling.engine.sla;
