-- Automation rules (SPEC §7, Pardot semantics): a rule is created PAUSED; when ACTIVE it applies its actions to
-- every prospect that meets its condition, once, or again after repeat_days (at most repeat_max times).
-- automation_rule_prospect is the per-prospect eligibility (how often and when last matched: the claim that makes a
-- match happen exactly once even when the event path and a retroactive run race); automation_match is the history.

CREATE TABLE automation_rule (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    condition   jsonb NOT NULL,
    actions     jsonb NOT NULL,
    status      text NOT NULL CHECK (status IN ('PAUSED', 'ACTIVE')),
    repeat_days integer CHECK (repeat_days >= 0),
    repeat_max  integer CHECK (repeat_max >= 1),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    CHECK (repeat_days IS NOT NULL OR repeat_max IS NULL)
);
CREATE INDEX automation_rule_active_idx ON automation_rule (id) WHERE status = 'ACTIVE';

CREATE TABLE automation_rule_prospect (
    rule_id       bigint NOT NULL REFERENCES automation_rule(id) ON DELETE CASCADE,
    prospect_id   bigint NOT NULL REFERENCES prospect(id) ON DELETE CASCADE,
    matches       integer NOT NULL,
    last_match_at timestamptz NOT NULL,
    PRIMARY KEY (rule_id, prospect_id)
);
CREATE INDEX automation_rule_prospect_prospect_idx ON automation_rule_prospect (prospect_id);

CREATE TABLE automation_match (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id     bigint NOT NULL REFERENCES automation_rule(id) ON DELETE CASCADE,
    prospect_id bigint NOT NULL REFERENCES prospect(id) ON DELETE CASCADE,
    at          timestamptz NOT NULL,
    source      text NOT NULL CHECK (source IN ('RETROACTIVE', 'CONTINUOUS')),
    depth       integer NOT NULL,
    actions     text NOT NULL
);
CREATE INDEX automation_match_rule_idx ON automation_match (rule_id, id);
CREATE INDEX automation_match_prospect_idx ON automation_match (prospect_id, id);

-- Webhook calls wait here until delivered after the writing transaction commits; a failing endpoint is retried
-- with a doubling pause and never blocks anything else.
CREATE TABLE webhook_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url             text NOT NULL,
    body            jsonb NOT NULL,
    source          text NOT NULL,
    created_at      timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    delivered_at    timestamptz,
    last_error      text
);
CREATE INDEX webhook_outbox_due_idx ON webhook_outbox (next_attempt_at) WHERE next_attempt_at IS NOT NULL;

-- Tracked links and files run completion actions on every click, like forms.
ALTER TABLE tracked_link ADD COLUMN completion_actions jsonb NOT NULL DEFAULT '[]';

-- Actions record which rule or form changed a static list's membership: 'action:rule:<id>', 'action:form:<key>'.
ALTER TABLE list_membership_event DROP CONSTRAINT list_membership_event_reason_check;
ALTER TABLE list_membership_event ADD CONSTRAINT list_membership_event_reason_check
    CHECK (reason IN ('condition', 'manual', 'import', 'action', 'rebuild') OR reason LIKE 'action:%');
