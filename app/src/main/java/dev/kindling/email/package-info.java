/**
 * Marketing email (SPEC §12): templates with merge fields and dynamic content blocks, compliant sending through the
 * mail outbox (unsubscribe link and RFC 8058 headers, open pixel, tracked links, suppression, frequency cap),
 * bounces, subject A/B tests and one-off sends to a list with their report.
 */
package dev.kindling.email;
