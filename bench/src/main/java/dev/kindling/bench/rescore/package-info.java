/**
 * Workload RESCORE, retroactive rescoring: a scoring rule is edited through the API and the app rescores every
 * prospect's stored history (preview, then apply), measured side by side with one hand-written set-based
 * {@code UPDATE} computing the same activity points.
 */
package dev.kindling.bench.rescore;
