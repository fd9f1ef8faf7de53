/**
 * Automation rules (SPEC §7): a condition and actions, created paused, applied retroactively on resume and then
 * continuously as prospects change; the action model and its executors, shared with forms' and links' completion
 * actions; the webhook outbox.
 */
package dev.kindling.automation;
