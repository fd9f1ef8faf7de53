-- The Salesforce connector reads opportunities, contact roles, campaigns, campaign members and users
-- (docs/salesforce.md). The salesforce_* tables belong to dev.kindling.salesforce; opportunity.source belongs to
-- dev.kindling.opportunities, which refuses Kindling edits of an opportunity a CRM owns.

-- Where an opportunity comes from: NULL for Kindling's own, 'salesforce' for one the connector mirrors (read-only).
ALTER TABLE opportunity ADD COLUMN source text CHECK (source IN ('salesforce'));

-- Salesforce opportunities and the Kindling opportunities mirroring them (a deleted one is deleted in Kindling).
CREATE TABLE salesforce_opportunity (
    sf_id           text PRIMARY KEY CHECK (length(sf_id) = 18),
    opportunity_id  bigint NOT NULL UNIQUE REFERENCES opportunity (id) ON DELETE CASCADE,
    modstamp        timestamptz NOT NULL
);

-- OpportunityContactRole: which prospect (through its Contact) is on which opportunity.
CREATE TABLE salesforce_contact_role (
    sf_id           text PRIMARY KEY CHECK (length(sf_id) = 18),
    opportunity_sf_id text NOT NULL,
    contact_sf_id   text NOT NULL,
    prospect_id     bigint NOT NULL REFERENCES prospect (id) ON DELETE CASCADE,
    modstamp        timestamptz NOT NULL
);
CREATE INDEX salesforce_contact_role_prospect_idx ON salesforce_contact_role (prospect_id);
CREATE INDEX salesforce_contact_role_opportunity_idx ON salesforce_contact_role (opportunity_sf_id);

-- Salesforce campaigns and the Kindling campaigns they are (the Kindling campaign stays when deleted in Salesforce).
CREATE TABLE salesforce_campaign (
    sf_id           text PRIMARY KEY CHECK (length(sf_id) = 18),
    campaign_id     bigint NOT NULL UNIQUE REFERENCES campaign (id) ON DELETE CASCADE,
    modstamp        timestamptz NOT NULL,
    deleted_at      timestamptz
);

-- CampaignMember: each member read once became a touch (an activity of the campaign); the touch stays when the
-- member is removed.
CREATE TABLE salesforce_campaign_member (
    sf_id           text PRIMARY KEY CHECK (length(sf_id) = 18),
    campaign_sf_id  text NOT NULL,
    modstamp        timestamptz NOT NULL,
    deleted_at      timestamptz
);

-- Salesforce users and the Kindling users they are (matched by email; null while no Kindling user has it).
CREATE TABLE salesforce_user (
    sf_id           text PRIMARY KEY CHECK (length(sf_id) = 18),
    email           text,
    name            text,
    active          boolean NOT NULL,
    user_id         bigint REFERENCES app_user (id) ON DELETE SET NULL,
    modstamp        timestamptz NOT NULL
);
CREATE INDEX salesforce_user_email_idx ON salesforce_user (lower(email));

-- Each link keeps a digest of the record as last read: Salesforce's SystemModstamp has whole seconds, so a record
-- changed again within the second it was read has the same stamp; the digest tells that change from a re-read.
ALTER TABLE salesforce_opportunity ADD COLUMN digest text;
ALTER TABLE salesforce_contact_role ADD COLUMN digest text;
ALTER TABLE salesforce_campaign ADD COLUMN digest text;
ALTER TABLE salesforce_campaign_member ADD COLUMN digest text;
ALTER TABLE salesforce_user ADD COLUMN digest text;

-- How far deletes were checked per object (/deleted/ within Salesforce's 15 days, else a full id comparison).
CREATE TABLE salesforce_delete_check (
    object          text PRIMARY KEY,
    checked_until   timestamptz NOT NULL
);

-- At most one open error per record: parking it again counts an attempt.
CREATE UNIQUE INDEX salesforce_error_open_record_idx ON salesforce_error (object, sf_id) WHERE resolved_at IS NULL;
