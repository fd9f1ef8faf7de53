-- Per form: a limit on submissions per minute from one client address (NULL: the instance-wide default), and
-- progressive profiling (the hosted form shows a known visitor the fields not yet known instead of the filled ones).
ALTER TABLE form ADD COLUMN rate_limit_per_minute integer CHECK (rate_limit_per_minute BETWEEN 1 AND 10000);
ALTER TABLE form ADD COLUMN progressive boolean NOT NULL DEFAULT false;
