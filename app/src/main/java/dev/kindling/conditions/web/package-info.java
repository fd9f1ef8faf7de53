/**
 * The condition builder's server side: the metadata it edits with ({@code GET /conditions/fields}), the preview of
 * what a condition matches ({@code POST /conditions/preview}) and a try-out page ({@code /conditions/try}) that shows
 * the contract of the {@code conditions/builder} fragment working.
 */
package dev.kindling.conditions.web;
