-- CSV imports started from the Imports page run in the background as durable jobs: the file is kept with the job,
-- a worker claims a queued job (FOR UPDATE SKIP LOCKED) and writes it in chunks, each chunk one transaction that also
-- advances done_rows; a job whose worker stopped (a restart) is claimed again once its claim has expired and goes on
-- from done_rows. Per-row outcomes are kept for the results download.
CREATE TABLE import_job (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('PROSPECTS', 'ACTIVITIES')),
    filename       text NOT NULL,
    content        bytea NOT NULL,
    mapping        jsonb NOT NULL DEFAULT '{}',
    dedup          text NOT NULL DEFAULT 'UPDATE' CHECK (dedup IN ('UPDATE', 'SKIP', 'FILL_BLANKS')),
    campaign_id    bigint REFERENCES campaign(id),
    sales_system   boolean NOT NULL DEFAULT false,
    status         text NOT NULL CHECK (status IN ('UPLOADED', 'QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    total_rows     integer NOT NULL,
    done_rows      integer NOT NULL DEFAULT 0,
    created        integer NOT NULL DEFAULT 0,
    updated        integer NOT NULL DEFAULT 0,
    skipped        integer NOT NULL DEFAULT 0,
    error          text,
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz,
    claimed_until  timestamptz
);
CREATE INDEX import_job_waiting_idx ON import_job (id) WHERE status IN ('QUEUED', 'RUNNING');

CREATE TABLE import_job_row (
    job_id  bigint NOT NULL REFERENCES import_job(id) ON DELETE CASCADE,
    row     integer NOT NULL,
    status  text NOT NULL,
    email   text,
    reason  text,
    PRIMARY KEY (job_id, row)
);

-- the column mapping last used for a file with these headers (normalised, in order), offered again next time
CREATE TABLE import_mapping (
    headers     text PRIMARY KEY,
    mapping     jsonb NOT NULL,
    updated_at  timestamptz NOT NULL
);
