-- Interest scoring (SPEC §3): the model (rules, settings), the append-only score ledger, and
-- what each prospect's score remembers between activities (decay clock, half-life buckets,
-- cap memory).

CREATE TABLE scoring_rule (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                text NOT NULL,
    activity_type       text NOT NULL,
    custom_name         text,
    url_pattern         text,
    form_name           text,
    asset_name          text,
    email_id            text,
    campaign_id         bigint,
    points              integer NOT NULL CHECK (points BETWEEN -1000 AND 1000),
    max_points_per_day  integer CHECK (max_points_per_day >= 1),
    first_time_only     boolean NOT NULL DEFAULT false,
    first_time_key      text,
    category            text,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

-- One row: the decay policy and the floor of the model.
CREATE TABLE scoring_settings (
    id                  integer PRIMARY KEY CHECK (id = 1),
    inactivity_days     integer CHECK (inactivity_days BETWEEN 1 AND 3650),
    inactivity_action   text NOT NULL DEFAULT 'SET_TO_ZERO',
    subtract_points     integer NOT NULL DEFAULT 0,
    half_life_days      integer CHECK (half_life_days BETWEEN 1 AND 3650),
    floor               integer NOT NULL DEFAULT 0,
    updated_at          timestamptz NOT NULL
);
INSERT INTO scoring_settings (id, inactivity_days, inactivity_action, subtract_points, half_life_days, floor, updated_at)
VALUES (1, 90, 'SET_TO_ZERO', 0, NULL, 0, now());

-- The defaults of SPEC §3, editable like any other rule.
INSERT INTO scoring_rule (name, activity_type, url_pattern, points, created_at, updated_at)
VALUES ('Page view', 'PAGE_VIEW', NULL, 1, now(), now()),
       ('File download', 'FILE_DOWNLOAD', NULL, 3, now(), now()),
       ('Tracked link click', 'TRACKED_LINK_CLICK', NULL, 3, now(), now()),
       ('Form submit', 'FORM_SUBMIT', NULL, 50, now(), now()),
       ('Form error', 'FORM_ERROR', NULL, -5, now(), now()),
       ('Email open', 'EMAIL_OPEN', NULL, 0, now(), now()),
       ('Email click', 'EMAIL_CLICK', NULL, 3, now(), now()),
       ('Webinar registered', 'WEBINAR_REGISTERED', NULL, 10, now(), now()),
       ('Webinar attended', 'WEBINAR_ATTENDED', NULL, 25, now(), now()),
       ('Event attended', 'EVENT_ATTENDED', NULL, 25, now(), now()),
       ('Chat', 'CHAT', NULL, 10, now(), now()),
       ('Demo request', 'DEMO_REQUEST', NULL, 50, now(), now()),
       ('Pricing page', 'PAGE_VIEW', 'pricing', 10, now(), now()),
       ('Opportunity created', 'OPPORTUNITY_CREATED', NULL, 50, now(), now()),
       ('Opportunity lost', 'OPPORTUNITY_LOST', NULL, -100, now(), now()),
       ('Unsubscribe', 'UNSUBSCRIBE', NULL, -25, now(), now());

-- Every change of a score, in order (id); folding a prospect's entries gives its score.
CREATE TABLE score_ledger (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prospect_id  bigint NOT NULL REFERENCES prospect(id),
    at           timestamptz NOT NULL,
    kind         text NOT NULL,
    delta        integer NOT NULL,
    set_to       integer,
    result       integer NOT NULL,
    rule_id      bigint,
    activity_id  bigint,
    reason       text,
    undoes       bigint
);
CREATE INDEX score_ledger_prospect_idx ON score_ledger (prospect_id, id);
CREATE INDEX score_ledger_prospect_at_idx ON score_ledger (prospect_id, at);

-- When decay is next due (the decay job reads only due rows) and the rest of the score's
-- memory: the inactivity clock and the half-life buckets, as JSON.
ALTER TABLE prospect ADD COLUMN next_decay_at timestamptz;
ALTER TABLE prospect ADD COLUMN score_memory jsonb;
CREATE INDEX prospect_next_decay_idx ON prospect (next_decay_at) WHERE next_decay_at IS NOT NULL;

-- Cap memory: points a capped rule already gave a prospect, by cap key
-- ('<rule>:d:<epoch day>' per day, '<rule>:f:<value>' for first-time-only rules).
CREATE TABLE score_cap (
    prospect_id  bigint NOT NULL REFERENCES prospect(id),
    cap_key      text NOT NULL,
    points       integer NOT NULL,
    PRIMARY KEY (prospect_id, cap_key)
);
