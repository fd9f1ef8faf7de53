/**
 * The CRM connector's decisions, free of any framework, clock or network: per-field conflict rules, matching order,
 * error classification, API budget pacing, Salesforce ids, and the CSV of Bulk API 2.0.
 */
package dev.kindling.engine.crm;
