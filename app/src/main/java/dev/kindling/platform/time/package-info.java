/** The injected clock: every time-dependent decision reads it, so tests move time instead of sleeping. */
package dev.kindling.platform.time;
