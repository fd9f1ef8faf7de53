-- The capture rate limits' token buckets, one row per limiter and client, shared by every instance (docs/cluster.md).
-- Unlogged: a crash forgets them (every client starts with a full bucket), which costs nothing worth a WAL record per
-- page view. A row whose bucket is full again (full_at passed) is the same as no row, and is deleted.
CREATE UNLOGGED TABLE rate_limit_bucket (
    limiter  TEXT NOT NULL,
    client   TEXT NOT NULL,
    tokens   DOUBLE PRECISION NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    allowed  BOOLEAN NOT NULL,
    full_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (limiter, client)
);

CREATE INDEX rate_limit_bucket_full_at ON rate_limit_bucket (full_at);
