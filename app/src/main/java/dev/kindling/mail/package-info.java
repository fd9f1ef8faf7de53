/**
 * The mail transport every feature sends through: {@link dev.kindling.mail.MailOutbox} writes a durable
 * {@code mail_outbox} row in the caller's transaction (idempotent by a dedupe key); a worker sends it over SMTP after
 * commit when a server is configured, retrying with a doubling pause, or keeps it LOCAL in the outbox shown on the
 * Outbox page. See docs/notifications.md.
 */
package dev.kindling.mail;
