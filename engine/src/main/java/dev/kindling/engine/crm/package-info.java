/**
 * The CRM connector's decisions, free of any framework, clock or network: per-field conflict rules, matching order,
 * error classification, API budget pacing, and Salesforce ids.
 */
package dev.kindling.engine.crm;
