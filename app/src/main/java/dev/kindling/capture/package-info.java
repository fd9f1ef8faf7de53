/**
 * Capture: everything that brings people and behaviour in from outside — the tracking script and
 * its collect endpoint, public form handlers, tracked links, CSV imports — and the per-IP limits
 * that protect the public endpoints. Every path hands its activities to the intake.
 */
package dev.kindling.capture;
