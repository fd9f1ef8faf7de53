/**
 * The lifecycle: the stages a visitor or prospect moves through, forward and back, the one table of transitions
 * between them ({@link dev.kindling.engine.lifecycle.StageTable}), the editable policy, and the decisions
 * ({@link dev.kindling.engine.lifecycle.Lifecycle}) that turn activities, thresholds, time and users into
 * recorded stage changes.
 */
package dev.kindling.engine.lifecycle;
