-- The Salesforce connector (docs/salesforce.md). Every table belongs to dev.kindling.salesforce; prospects,
-- accounts and opportunities are written only through their owners' APIs.

-- The connection, when configured on the settings page (environment variables take precedence). One row.
CREATE TABLE salesforce_connection (
    id              smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    login_url       text NOT NULL,
    api_version     text NOT NULL,
    auth            text NOT NULL CHECK (auth IN ('CLIENT_CREDENTIALS', 'JWT_BEARER')),
    client_id       text NOT NULL,
    username        text,
    -- the client secret or the JWT signing key (PEM), AES-GCM encrypted with a key that is not in the database
    secret          bytea NOT NULL,
    budget_percent  integer NOT NULL DEFAULT 20 CHECK (budget_percent BETWEEN 1 AND 100),
    cycle_seconds   integer NOT NULL DEFAULT 60 CHECK (cycle_seconds BETWEEN 10 AND 3600),
    paused          boolean NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL
);

-- The sync position per Salesforce object: the highest SystemModstamp read (stored after each page).
CREATE TABLE salesforce_watermark (
    object          text PRIMARY KEY,
    modstamp        timestamptz NOT NULL,
    last_id         text,
    updated_at      timestamptz NOT NULL
);

-- Salesforce accounts and the Kindling accounts they are (Salesforce → Kindling).
CREATE TABLE salesforce_account (
    sf_id           text PRIMARY KEY CHECK (length(sf_id) = 18),
    -- two Salesforce accounts with one website are one Kindling account (its domain is unique)
    account_id      bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    modstamp        timestamptz NOT NULL,
    deleted_at      timestamptz
);

-- One row per sync cycle and object: what it did, for the console.
CREATE TABLE salesforce_cycle (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    object          text NOT NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    created         integer NOT NULL DEFAULT 0,
    updated         integer NOT NULL DEFAULT 0,
    deleted         integer NOT NULL DEFAULT 0,
    failed          integer NOT NULL DEFAULT 0,
    api_calls       integer NOT NULL DEFAULT 0,
    note            text
);
CREATE INDEX salesforce_cycle_recent_idx ON salesforce_cycle (object, started_at DESC);

-- Parked record errors: the raw Salesforce answer, the fields involved, until retried or dismissed.
CREATE TABLE salesforce_error (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    object          text NOT NULL,
    sf_id           text,
    kind            text NOT NULL,
    code            text NOT NULL,
    message         text NOT NULL,
    fields          text[] NOT NULL DEFAULT '{}',
    record          jsonb NOT NULL,
    attempts        integer NOT NULL DEFAULT 1,
    first_at        timestamptz NOT NULL,
    last_at         timestamptz NOT NULL,
    resolved_at     timestamptz,
    resolution      text CHECK (resolution IN ('RETRIED', 'DISMISSED'))
);
CREATE INDEX salesforce_error_open_idx ON salesforce_error (kind, last_at) WHERE resolved_at IS NULL;
