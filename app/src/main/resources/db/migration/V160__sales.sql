-- Sales handoff: every assignment of a lead to a rep opens a handoff, the unit the SLA measures (first contact
-- within the window, attempts, one outcome); attempts are logged per prospect; the SLA and the monthly MQL target
-- are one settings row. Each open handoff carries the instant its SLA state changes next (sla_check_at), so the
-- sweeper reads only due rows.

CREATE TABLE sales_settings (
    id                   smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    first_contact_hours  integer NOT NULL DEFAULT 24 CHECK (first_contact_hours BETWEEN 1 AND 720),
    min_attempts         integer NOT NULL DEFAULT 3 CHECK (min_attempts BETWEEN 0 AND 20),
    at_risk_percent      integer NOT NULL DEFAULT 75 CHECK (at_risk_percent BETWEEN 1 AND 99),
    business_hours       boolean NOT NULL DEFAULT false,
    business_days        text[] NOT NULL DEFAULT '{MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY}',
    business_start       time NOT NULL DEFAULT '09:00',
    business_end         time NOT NULL DEFAULT '18:00',
    business_zone        text NOT NULL DEFAULT 'UTC',
    monthly_mql_target   integer NOT NULL DEFAULT 100 CHECK (monthly_mql_target BETWEEN 0 AND 10000000),
    updated_at           timestamptz
);
INSERT INTO sales_settings (id) VALUES (1);

CREATE TABLE sales_handoff (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prospect_id      bigint NOT NULL REFERENCES prospect(id),
    user_id          bigint NOT NULL REFERENCES app_user(id),
    team_id          bigint REFERENCES team(id),
    assignment_id    bigint,
    assigned_at      timestamptz NOT NULL,
    stage_at_start   text NOT NULL,
    score_at_start   integer NOT NULL,
    grade_at_start   text,
    due_at           timestamptz NOT NULL,
    first_attempt_at timestamptz,
    attempts         integer NOT NULL DEFAULT 0,
    connected        boolean NOT NULL DEFAULT false,
    accepted_at      timestamptz,
    outcome          text CHECK (outcome IN ('ACCEPTED','REJECTED','CONVERTED','REASSIGNED')),
    outcome_at       timestamptz,
    reject_reason    text,
    sla_state        text NOT NULL DEFAULT 'ON_TRACK' CHECK (sla_state IN ('ON_TRACK','AT_RISK','BREACHED','MET')),
    breached_at      timestamptz,
    sla_check_at     timestamptz,
    -- a handoff stays open (the current one of its prospect) until an outcome closes it
    open             boolean NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX sales_handoff_open_idx ON sales_handoff (prospect_id) WHERE open;
CREATE INDEX sales_handoff_prospect_idx ON sales_handoff (prospect_id, assigned_at);
CREATE INDEX sales_handoff_assigned_idx ON sales_handoff (assigned_at);
CREATE INDEX sales_handoff_check_idx ON sales_handoff (sla_check_at) WHERE sla_check_at IS NOT NULL;

CREATE TABLE sales_attempt (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prospect_id  bigint NOT NULL REFERENCES prospect(id),
    handoff_id   bigint REFERENCES sales_handoff(id),
    user_id      bigint NOT NULL REFERENCES app_user(id),
    kind         text NOT NULL CHECK (kind IN ('CALL','EMAIL','MEETING','OTHER')),
    outcome      text NOT NULL CHECK (outcome IN ('CONNECTED','LEFT_MESSAGE','NO_ANSWER','BAD_NUMBER','MEETING_SET','EMAIL_SENT','REPLIED','OTHER')),
    note         text,
    at           timestamptz NOT NULL
);
CREATE INDEX sales_attempt_prospect_idx ON sales_attempt (prospect_id, at);

-- the queue: MQL and SAL leads by owner
CREATE INDEX prospect_owner_stage_idx ON prospect (owner_id, stage) WHERE stage IN ('MQL', 'SAL');
