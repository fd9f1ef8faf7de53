-- Prospects ↔ Salesforce leads and contacts (docs/salesforce.md "Prospects"). Owned by dev.kindling.salesforce; the
-- prospect table is written only through dev.kindling.prospects.Prospects.

-- One row per Salesforce Lead or Contact known to Kindling, and the prospect it is. A prospect has at most one
-- ACTIVE record; a converted lead (CONVERTED), a record merged into another (MERGED), one deleted in Salesforce
-- (DELETED: the prospect is "deleted in CRM") or one set aside by a Kindling merge (DETACHED) keeps its row, never to
-- be written again. `fields` holds per mapped field: the value both sides held after the last sync ("synced", absent
-- before the field's first sync), each side's last seen value ("k", "sf") and when it last changed there ("kAt",
-- "sfAt": Kindling's change time as the change was committed, Salesforce's the LastModifiedDate it was first seen with).
CREATE TABLE salesforce_record (
    sf_id           text PRIMARY KEY CHECK (length(sf_id) = 18),
    object          text NOT NULL CHECK (object IN ('Lead', 'Contact')),
    prospect_id     bigint NOT NULL REFERENCES prospect (id) ON DELETE CASCADE,
    state           text NOT NULL DEFAULT 'ACTIVE'
                    CHECK (state IN ('ACTIVE', 'CONVERTED', 'MERGED', 'DELETED', 'DETACHED')),
    -- the Contact a converted lead became, or the record a merged one went into
    successor_id    text,
    fields          jsonb NOT NULL DEFAULT '{}',
    modstamp        timestamptz,
    linked_at       timestamptz NOT NULL,
    last_synced_at  timestamptz,
    ended_at        timestamptz
);
CREATE UNIQUE INDEX salesforce_record_active_idx ON salesforce_record (prospect_id) WHERE state = 'ACTIVE';
CREATE INDEX salesforce_record_prospect_idx ON salesforce_record (prospect_id);

-- What must be pushed to Salesforce: one row per prospect, committed with the change that needs it. `may_create`
-- only when a person or an automation asked to sync the prospect (never as a side effect of a change).
CREATE TABLE salesforce_outbox (
    prospect_id     bigint PRIMARY KEY REFERENCES prospect (id) ON DELETE CASCADE,
    may_create      boolean NOT NULL DEFAULT false,
    allow_duplicates boolean NOT NULL DEFAULT false,
    version         bigint NOT NULL DEFAULT 1,
    queued_at       timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0
);
CREATE INDEX salesforce_outbox_due_idx ON salesforce_outbox (next_attempt_at);

-- The field mapping: per Kindling field, the Lead and Contact fields it maps to (null: not mapped on that object),
-- its rule and whether a blank may overwrite a filled value.
CREATE TABLE salesforce_field_map (
    field               text PRIMARY KEY,
    lead_field          text,
    contact_field       text,
    rule                text NOT NULL CHECK (rule IN ('KINDLING_WINS', 'SALESFORCE_WINS', 'MOST_RECENT', 'DONT_SYNC')),
    blank_may_overwrite boolean NOT NULL DEFAULT false,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
INSERT INTO salesforce_field_map (field, lead_field, contact_field, rule) VALUES
    ('email', 'Email', 'Email', 'SALESFORCE_WINS'),
    ('firstName', 'FirstName', 'FirstName', 'MOST_RECENT'),
    ('lastName', 'LastName', 'LastName', 'MOST_RECENT'),
    ('company', 'Company', NULL, 'MOST_RECENT'),
    ('jobTitle', 'Title', 'Title', 'MOST_RECENT'),
    ('department', NULL, 'Department', 'MOST_RECENT'),
    ('industry', 'Industry', NULL, 'MOST_RECENT'),
    ('employees', 'NumberOfEmployees', NULL, 'MOST_RECENT'),
    ('phone', 'Phone', 'Phone', 'MOST_RECENT'),
    ('website', 'Website', NULL, 'MOST_RECENT'),
    ('source', 'LeadSource', 'LeadSource', 'SALESFORCE_WINS'),
    ('score', NULL, NULL, 'KINDLING_WINS'),
    ('grade', NULL, NULL, 'KINDLING_WINS'),
    ('stage', NULL, NULL, 'KINDLING_WINS'),
    ('lastActivity', NULL, NULL, 'KINDLING_WINS');

-- Which prospects may be created in Salesforce (a condition of the condition language; null: any). One row.
CREATE TABLE salesforce_sync_settings (
    id              smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    sync_condition  jsonb,
    updated_at      timestamptz NOT NULL
);
