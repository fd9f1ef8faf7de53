/**
 * The prospect screens of the UI: the searchable, filterable prospect list and the prospect page
 * with fields, derived state, stage history, activity timeline and visitor history. Read-only
 * SQL of its own, so the screens can show exactly what they need in a few queries.
 */
package dev.kindling.prospects.web;
