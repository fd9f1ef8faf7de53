-- The closed loop's per-prospect action summary (docs/closed-loop.md, "Action summary"), kept by intake as activities
-- are processed (dev.kindling.intake.ActionSummary) so the report reads a few rows per prospect instead of its whole
-- activity history: per prospect and action (activity type with its normalised facet value, NULL for the type alone)
-- the first time it was done; per prospect, type and UTC day (days since 1970-01-01) how many activities of the
-- frequency bands' types it had. Only processed, non-bot activities of the types the closed loop counts.
CREATE TABLE prospect_action (
    prospect_id bigint NOT NULL REFERENCES prospect (id),
    type        text NOT NULL,
    value       text,
    first_at    timestamptz NOT NULL,
    CONSTRAINT prospect_action_key UNIQUE NULLS NOT DISTINCT (prospect_id, type, value)
);

CREATE TABLE prospect_action_day (
    prospect_id bigint NOT NULL REFERENCES prospect (id),
    type        text NOT NULL,
    day         integer NOT NULL,
    activities  integer NOT NULL,
    PRIMARY KEY (prospect_id, type, day)
);
