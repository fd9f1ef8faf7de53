-- Built-in opportunities and their contact roles (SPEC §1, §10). Only the sales roles (and later the CRM
-- connector) write them; conditions, lists and reports read them.

CREATE TABLE opportunity (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    account_id          bigint REFERENCES account(id),
    amount              numeric(18, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
    currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- the sales stage label (free text: "Discovery", "Proposal", …); status is what the effects read
    stage               text NOT NULL CHECK (char_length(stage) BETWEEN 1 AND 100),
    status              text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'WON', 'LOST')),
    probability         integer CHECK (probability BETWEEN 0 AND 100),
    type                text CHECK (type IN ('NEW_BUSINESS', 'EXISTING_BUSINESS')),
    lost_reason         text CHECK (lost_reason IN ('PRICE', 'COMPETITOR', 'NO_DECISION', 'TIMING', 'FEATURES',
                                                    'OTHER')),
    primary_campaign_id bigint REFERENCES campaign(id),
    close_date          date,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    closed_at           timestamptz,
    created_by          text,
    closed_by           text,
    CHECK ((status = 'OPEN') = (closed_at IS NULL)),
    CHECK ((status = 'LOST') = (lost_reason IS NOT NULL))
);
CREATE INDEX opportunity_account_idx ON opportunity (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX opportunity_status_idx ON opportunity (status, id);

CREATE TABLE opportunity_contact_role (
    opportunity_id  bigint NOT NULL REFERENCES opportunity(id) ON DELETE CASCADE,
    prospect_id     bigint NOT NULL REFERENCES prospect(id) ON DELETE CASCADE,
    role            text NOT NULL CHECK (role IN ('DECISION_MAKER', 'ECONOMIC_BUYER', 'EVALUATOR', 'INFLUENCER',
                                                  'OTHER')),
    is_primary      boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (opportunity_id, prospect_id)
);
-- conditions and the prospect page read a prospect's opportunities
CREATE INDEX opportunity_contact_role_prospect_idx ON opportunity_contact_role (prospect_id, opportunity_id);
-- at most one primary contact per opportunity
CREATE UNIQUE INDEX opportunity_contact_role_primary_idx ON opportunity_contact_role (opportunity_id)
    WHERE is_primary;
