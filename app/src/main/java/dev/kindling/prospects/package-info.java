/**
 * Prospects and the accounts they belong to: standard and typed custom fields, upsert by
 * normalised email, account matching by email domain, the prospect API.
 */
package dev.kindling.prospects;
