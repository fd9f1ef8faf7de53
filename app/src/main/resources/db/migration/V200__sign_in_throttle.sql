-- Sign-in throttling (platform.security, SignInThrottle): failed sign-ins counted per account and per client
-- address in the database, so every node of a cluster sees the same counts and locks.
-- subject: 'account:<email as typed, normalised>' or 'address:<IP, IPv6 grouped by /64>'.
CREATE TABLE sign_in_throttle (
    subject            text PRIMARY KEY,
    failures           integer NOT NULL,
    window_started_at  timestamptz NOT NULL,
    last_failure_at    timestamptz NOT NULL,
    locks              integer NOT NULL DEFAULT 0,
    locked_until       timestamptz
);

CREATE INDEX sign_in_throttle_last_failure_idx ON sign_in_throttle (last_failure_at);

-- Security settings an admin changes at run time (one row).
CREATE TABLE security_setting (
    id               boolean PRIMARY KEY DEFAULT true CHECK (id),
    api_docs_public  boolean NOT NULL DEFAULT false
);

INSERT INTO security_setting (id) VALUES (true);
