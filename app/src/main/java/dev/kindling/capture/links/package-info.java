/**
 * Tracked links and files: their configuration ({@code /api/v1/links}) and the public redirect
 * {@code GET /l/{token}}, whose token is signed so that a tampered one is refused (404), never followed.
 */
package dev.kindling.capture.links;
