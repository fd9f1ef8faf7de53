-- People and assignment: territories (ordered rules on country / industry / company size → a team or a user),
-- the assignment setting of each stage entry (MQL, SQL) and the record of every assignment. prospect.owner_id
-- stays the current owner; the assignment rows are its history and the round-robin's memory (the least recently
-- assigned member is the one whose newest assignment row is oldest).

CREATE TABLE territory (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text NOT NULL UNIQUE,
    position       integer NOT NULL,
    countries      text[] NOT NULL DEFAULT '{}',
    industries     text[] NOT NULL DEFAULT '{}',
    min_employees  integer CHECK (min_employees >= 0),
    max_employees  integer CHECK (max_employees >= 0),
    team_id        bigint REFERENCES team(id),
    user_id        bigint REFERENCES app_user(id),
    created_at     timestamptz NOT NULL,
    CHECK ((team_id IS NULL) <> (user_id IS NULL)),
    CHECK (min_employees IS NULL OR max_employees IS NULL OR min_employees <= max_employees)
);
CREATE INDEX territory_position_idx ON territory (position, id);

CREATE TABLE assignment_setting (
    stage       text PRIMARY KEY CHECK (stage IN ('MQL', 'SQL')),
    mode        text NOT NULL DEFAULT 'NONE' CHECK (mode IN ('NONE', 'ROUND_ROBIN', 'TERRITORY')),
    team_id     bigint REFERENCES team(id),
    updated_at  timestamptz,
    CHECK (mode <> 'ROUND_ROBIN' OR team_id IS NOT NULL)
);
INSERT INTO assignment_setting (stage) VALUES ('MQL'), ('SQL');

CREATE TABLE assignment (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prospect_id  bigint NOT NULL REFERENCES prospect(id),
    user_id      bigint NOT NULL REFERENCES app_user(id),
    team_id      bigint REFERENCES team(id),
    at           timestamptz NOT NULL,
    cause        text NOT NULL,
    forced       boolean NOT NULL DEFAULT false
);
CREATE INDEX assignment_prospect_idx ON assignment (prospect_id, id);
-- the round-robin reads each member's newest assignment through this index
CREATE INDEX assignment_user_idx ON assignment (user_id, id);
CREATE INDEX prospect_owner_idx ON prospect (owner_id) WHERE owner_id IS NOT NULL;
