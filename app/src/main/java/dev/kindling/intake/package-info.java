/**
 * The intake pipeline: activities are accepted durably in batches (the {@code activity} rows not
 * yet processed are the queue), then processed asynchronously, per prospect in occurrence order,
 * through the engine. Every capture path (API, forms, tracking, links, imports) enters here.
 */
package dev.kindling.intake;
