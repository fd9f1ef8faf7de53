-- Foundation schema: people, prospects and their behaviour, capture configuration.
-- Derived prospect state (score, grade, stage, ...) lives on the prospect row so the intake
-- pipeline updates it with one UPDATE per prospect per batch.

CREATE TABLE team (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    manager_id  bigint,
    created_at  timestamptz NOT NULL
);

CREATE TABLE app_user (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          text NOT NULL UNIQUE,
    name           text NOT NULL,
    role           text NOT NULL CHECK (role IN ('ADMIN','MARKETING','INSIDE_SALES','SALES','VIEWER')),
    password_hash  text,
    team_id        bigint REFERENCES team(id),
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL
);

ALTER TABLE team ADD CONSTRAINT team_manager_fk FOREIGN KEY (manager_id) REFERENCES app_user(id);

CREATE TABLE api_key (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES app_user(id),
    name          text NOT NULL,
    key_hash      text NOT NULL UNIQUE,
    role          text NOT NULL CHECK (role IN ('ADMIN','MARKETING','INSIDE_SALES','SALES','VIEWER')),
    created_at    timestamptz NOT NULL,
    revoked_at    timestamptz
);

CREATE TABLE campaign (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    channel     text NOT NULL CHECK (channel IN ('EMAIL','WEB','WEBINAR','EVENT','ADS','LIST_PURCHASE','OTHER')),
    cost        numeric(14,2) NOT NULL DEFAULT 0,
    start_date  date,
    end_date    date,
    created_at  timestamptz NOT NULL
);

CREATE TABLE account (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    domain      text UNIQUE,
    industry    text,
    employees   integer,
    country     text,
    tier        text,
    created_at  timestamptz NOT NULL
);

CREATE TABLE custom_field (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name      text NOT NULL UNIQUE,
    label     text NOT NULL,
    type      text NOT NULL CHECK (type IN ('TEXT','NUMBER','DATE','BOOLEAN','PICKLIST')),
    options   text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL
);

CREATE TABLE prospect (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email             text NOT NULL UNIQUE,
    first_name        text,
    last_name         text,
    company           text,
    job_title         text,
    department        text,
    industry          text,
    employees         integer,
    country           text,
    phone             text,
    website           text,
    source            text,
    custom            jsonb NOT NULL DEFAULT '{}',
    account_id        bigint REFERENCES account(id),
    campaign_id       bigint REFERENCES campaign(id),
    owner_id          bigint REFERENCES app_user(id),
    score             integer NOT NULL DEFAULT 0,
    grade             text,
    stage             text NOT NULL DEFAULT 'CAPTURED',
    opted_out         boolean NOT NULL DEFAULT false,
    hard_bounced      boolean NOT NULL DEFAULT false,
    do_not_email      boolean NOT NULL DEFAULT false,
    last_activity_at  timestamptz,
    captured_at       timestamptz NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX prospect_stage_idx ON prospect (stage, id);
CREATE INDEX prospect_account_idx ON prospect (account_id);
CREATE INDEX prospect_search_idx ON prospect (lower(coalesce(last_name,'')), id);

-- Lifecycle transitions (from, to, at, cause) and the first time each stage was reached.
CREATE TABLE stage_transition (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prospect_id  bigint NOT NULL REFERENCES prospect(id),
    from_stage   text,
    to_stage     text NOT NULL,
    at           timestamptz NOT NULL,
    cause        text NOT NULL
);
CREATE INDEX stage_transition_prospect_idx ON stage_transition (prospect_id, at);

CREATE TABLE stage_reached (
    prospect_id     bigint NOT NULL REFERENCES prospect(id),
    stage           text NOT NULL,
    first_entered_at timestamptz NOT NULL,
    PRIMARY KEY (prospect_id, stage)
);

CREATE TABLE visitor (
    id             text PRIMARY KEY,
    prospect_id    bigint REFERENCES prospect(id),
    stage          text NOT NULL DEFAULT 'ANONYMOUS',
    first_seen_at  timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL,
    user_agent     text,
    bot            boolean NOT NULL DEFAULT false,
    utm            jsonb NOT NULL DEFAULT '{}',
    linked_at      timestamptz
);
CREATE INDEX visitor_prospect_idx ON visitor (prospect_id);

-- Every activity ever accepted. Rows with processed_at IS NULL are the durable intake queue:
-- the processor claims them in batches and marks them processed in the same transaction
-- that applies their effects, so each is processed exactly once.
CREATE TABLE activity (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id   text NOT NULL UNIQUE,
    type          text NOT NULL,
    custom_name   text,
    occurred_at   timestamptz NOT NULL,
    received_at   timestamptz NOT NULL,
    prospect_id   bigint REFERENCES prospect(id),
    visitor_id    text,
    email         text,
    campaign_id   bigint REFERENCES campaign(id),
    properties    jsonb NOT NULL DEFAULT '{}',
    bot           boolean NOT NULL DEFAULT false,
    processed_at  timestamptz
);
CREATE INDEX activity_prospect_idx ON activity (prospect_id, occurred_at);
CREATE INDEX activity_visitor_idx ON activity (visitor_id, occurred_at) WHERE visitor_id IS NOT NULL;
CREATE INDEX activity_pending_idx ON activity (id) WHERE processed_at IS NULL;

CREATE TABLE form (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key                 text NOT NULL UNIQUE,
    name                text NOT NULL,
    field_mapping       jsonb NOT NULL DEFAULT '{}',
    required_fields     text[] NOT NULL DEFAULT '{}',
    success_url         text NOT NULL,
    error_url           text,
    campaign_id         bigint REFERENCES campaign(id),
    completion_actions  jsonb NOT NULL DEFAULT '[]',
    created_at          timestamptz NOT NULL
);

CREATE TABLE tracked_link (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('LINK','FILE')),
    name        text NOT NULL,
    target_url  text NOT NULL,
    campaign_id bigint REFERENCES campaign(id),
    created_at  timestamptz NOT NULL
);

-- Instance-wide values that must survive restarts (e.g. the generated link-signing secret).
CREATE TABLE app_setting (
    key    text PRIMARY KEY,
    value  text NOT NULL
);
