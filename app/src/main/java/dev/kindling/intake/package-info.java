/**
 * The intake pipeline: activities are accepted durably in batches (the {@code activity} rows not
 * yet processed are the queue), then processed asynchronously in batches, per prospect in
 * occurrence order, through the engine, by {@link dev.kindling.intake.IntakeWorker}. Every capture
 * path (API, forms, tracking, links, imports) enters here; it also owns visitors and the activity API.
 */
package dev.kindling.intake;
