-- The closed loop's per-prospect action summary (docs/closed-loop.md, "Action summary"), kept by intake as activities
-- are processed (dev.kindling.intake.ActionSummary) so the report reads a few rows per prospect instead of its whole
-- activity history: per prospect and action the first time it was done. An action is an activity type with its
-- normalised facet value (value; NULL for the type alone, at_least NULL), or a frequency band (value NULL, at_least N:
-- the first time N activities of the type fell in one fixed 30-day window). Only processed, non-bot activities of the
-- types the closed loop counts. The index serves the report's reads index-only.
CREATE TABLE prospect_action (
    prospect_id bigint NOT NULL REFERENCES prospect (id),
    type        text NOT NULL,
    value       text,
    at_least    integer,
    first_at    timestamptz NOT NULL,
    CONSTRAINT prospect_action_key UNIQUE NULLS NOT DISTINCT (prospect_id, type, value, at_least) INCLUDE (first_at)
);
