/**
 * The intake decision: what a batch of one prospect's activities does to that prospect. The app
 * feeds each prospect's new activities in {@code occurredAt} order; every later capability
 * (scoring, grading, lifecycle, lists, rules) joins as an {@link dev.kindling.engine.intake.IntakeStep}.
 */
package dev.kindling.engine.intake;
