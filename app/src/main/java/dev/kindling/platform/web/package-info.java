/** Errors as RFC 9457 problem documents with field-level errors, and limits on what a request may send. */
package dev.kindling.platform.web;
