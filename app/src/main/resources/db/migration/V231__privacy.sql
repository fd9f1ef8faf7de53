-- Privacy (docs/privacy.md): consent records per prospect and purpose, and erasure.

-- Every consent given or withdrawn, with where it came from and the text the person saw. The latest row per
-- (prospect, purpose) is the current answer; no row means legitimate interest (the default before this existed).
CREATE TABLE consent (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prospect_id  bigint NOT NULL REFERENCES prospect(id),
    purpose      text NOT NULL CHECK (purpose IN ('EMAIL_MARKETING', 'TRACKING')),
    status       text NOT NULL CHECK (status IN ('GRANTED', 'WITHDRAWN')),
    source       text NOT NULL,
    text         text,
    at           timestamptz NOT NULL
);
CREATE INDEX consent_prospect_idx ON consent (prospect_id, purpose, at DESC, id DESC);

-- An erased prospect stays as an anonymised shell (stage history, score, counts) marked with when it was erased.
ALTER TABLE prospect ADD COLUMN erased_at timestamptz;

-- The erased people: a salted hash (HMAC-SHA256 with the instance's erasure salt in app_setting) of the normalised
-- email, so the address itself is gone but the person is never created, imported or emailed again.
CREATE TABLE erased_email (
    email_hash  text PRIMARY KEY,
    erased_at   timestamptz NOT NULL
);
