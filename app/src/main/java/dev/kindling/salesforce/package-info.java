/**
 * The Salesforce connector (SPEC §10, docs/salesforce.md): the REST client, the connection settings with encrypted
 * secrets, the sync cycle and what it writes — always through the owners' APIs (accounts through
 * {@code prospects.Accounts}, prospects through {@code prospects.Prospects} and {@code ProspectMerges}); its own tables
 * are the connection, watermarks, account and lead/contact links, the push outbox, the field mapping and sync
 * condition, cycles and the error queue. Optional: with no connection configured it does nothing.
 */
package dev.kindling.salesforce;
