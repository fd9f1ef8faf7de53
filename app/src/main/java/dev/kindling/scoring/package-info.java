/**
 * Interest scoring in the app: the scoring model's storage and API, the score ledger, the intake
 * step that scores activities, the decay job that wakes only due prospects, and rescoring.
 */
package dev.kindling.scoring;
