/**
 * Interest scoring: rules that turn activities into points (with caps), the append-only score
 * ledger, native decay (inactivity and half-life) and retroactive rescoring. Pure: every
 * function takes the instant it works at.
 */
package dev.kindling.engine.scoring;
