/**
 * Telling people and systems that something happened: {@link dev.kindling.notifications.Notifications} emails users
 * (through the mail outbox) and POSTs signed JSON to the webhook subscriptions for the event, through the one webhook
 * outbox (also used by the rule action {@code callWebhook}). Subscriptions and their delivery log are managed by
 * ADMIN. See docs/notifications.md.
 */
package dev.kindling.notifications;
